"""The outputs shown on the pages: written by `make outputs` from real runs, compared by the tests.

For each snippet, generated/outputs/<rel>.txt holds what it printed (what the page shows) and
generated/outputs/<rel>.json records the key of the code and versions that produced it, so that the build
can tell a stale output without running anything.

    python -m tools.outputs          run the snippets whose output is missing or stale, write their outputs
    python -m tools.outputs --all    run every snippet again
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from tools.paths import REPO
from tools.snippet_runner import ChainRunner, Result, SnippetRunner
from tools.snippets import Snippet, discover


def stored_key(snippet: Snippet) -> str | None:
    try:
        return json.loads(snippet.output_record.read_text(encoding="utf-8"))["key"]
    except (FileNotFoundError, KeyError, json.JSONDecodeError):
        return None


def staleness(snippet: Snippet) -> str | None:
    """None when the stored output belongs to the current code and versions; otherwise why not."""
    if not snippet.output_text.exists() or stored_key(snippet) is None:
        return "has never been produced"
    if stored_key(snippet) != snippet.key():
        return "is stale: the snippet, a snippet it runs after, or the pinned versions changed since it was produced"
    return None


def write(result: Result) -> None:
    snippet = result.snippet
    snippet.output_text.parent.mkdir(parents=True, exist_ok=True)
    snippet.output_text.write_text(result.output, encoding="utf-8")
    record = {"key": snippet.key(), "snippet": f"snippets/{snippet.rel}", "raised": result.error_type}
    snippet.output_record.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def failure_report(result: Result, pages: list[str]) -> str:
    """What a contributor needs to fix a snippet that did not run as declared."""
    snippet = result.snippet
    shown = ", ".join(pages) if pages else "no page yet"
    head = f"snippets/{snippet.rel} (shown on {shown})"
    if result.timed_out:
        return f"{head} was killed after its timeout of {snippet.timeout:g} s. Make it faster or raise '# Timeout:'."
    if snippet.expected_error and result.error_type != snippet.expected_error:
        got = result.error or "no exception"
        why = f"declares '# Expected error: {snippet.expected_error}' but raised {got}"
    elif result.error_type:
        why = f"raised {result.error}"
    else:
        why = f"exited with code {result.exit_code}"
    tail = "\n".join(((result.traceback or "") + result.output).splitlines()[-25:])
    return f"{head} {why}\n--- last lines of its output ---\n{tail}"


def mismatch_report(result: Result) -> str | None:
    """None when the stored output is what the snippet printed now; otherwise what to do."""
    snippet = result.snippet
    path = snippet.output_text.relative_to(REPO)
    why = staleness(snippet)
    if why:
        return f"the output of snippets/{snippet.rel} {why}. Run `make outputs` and commit {path.parent}/."
    stored = snippet.output_text.read_text(encoding="utf-8")
    if stored != result.output:
        import difflib
        diff = "".join(difflib.unified_diff(stored.splitlines(True), result.output.splitlines(True),
                                            f"{path} (stored)", f"snippets/{snippet.rel} (printed now)"))
        return (f"{path} is not what snippets/{snippet.rel} prints now. Outputs are written by `make outputs`, "
                f"never by hand.\n{diff}")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="run every snippet, not only stale ones")
    args = parser.parse_args(argv)
    todo = [s for s in discover() if args.all or staleness(s)]
    if not todo:
        print("outputs: all up to date")
        return 0
    failed = 0
    with SnippetRunner() as runner, tempfile.TemporaryDirectory(prefix="outputs-") as root:
        chains = ChainRunner(runner, Path(root))
        for snippet in todo:
            result = chains.run(snippet)
            if result.ok:
                write(result)
                print(f"outputs: wrote {snippet.output_text.relative_to(REPO)} ({result.seconds:.2f} s)")
            else:
                failed += 1
                print(failure_report(result, []), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
