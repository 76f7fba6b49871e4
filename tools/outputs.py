"""The outputs shown on the pages: written by `make outputs` from real runs, compared by the tests.

For each snippet, generated/outputs/<rel>.txt holds what it printed (what the page shows) and
generated/outputs/<rel>.json records the key of the code and versions that produced it and a hash of the text,
so that the build can tell a stale or hand-edited output without running anything.

    python -m tools.outputs                  run the snippets whose output is missing, stale or edited; write them
    python -m tools.outputs --all            run every snippet again
    python -m tools.outputs save-load/x.py   run these snippets again (and what they run after), stale or not

Each snippet to record runs twice: once as usual and once as on another reader's machine (another hash seed,
other CPU kernels, one thread; tools/snippet_runner.py, READER_MACHINE). Output that differs is not recorded.
"""
from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
import tempfile
from pathlib import Path

from tools.paths import REPO
from tools.snippet_runner import READER_MACHINE, READER_TIME_FACTOR, ChainRunner, Result, SnippetRunner
from tools.snippets import Snippet, SnippetError, discover


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def stored_key(snippet: Snippet) -> str | None:
    return _record(_read(snippet.output_record)).get("key")


def _record(text: str | None) -> dict:
    try:
        record = json.loads(text or "")
    except json.JSONDecodeError:
        return {}
    return record if isinstance(record, dict) else {}


def staleness(snippet: Snippet, text: str | None = None, record: str | None = None) -> str | None:
    """None when the stored output belongs to the current code and versions and is what was recorded; otherwise
    why not. `text` and `record` are the stored files' contents when read earlier (before a snippet ran)."""
    text = _read(snippet.output_text) if text is None else text
    recorded = _record(_read(snippet.output_record) if record is None else record)
    if text is None or "key" not in recorded:
        return "has never been produced"
    if recorded["key"] != snippet.key():
        return "is stale: the snippet, a snippet it runs after, or the pinned versions changed since it was produced"
    if "output_sha256" not in recorded:
        return "was recorded without a hash of its text (by an older tools/outputs.py)"
    if recorded["output_sha256"] != text_hash(text):
        return (f"was edited by hand: {snippet.output_text.relative_to(REPO)} is not the text `make outputs` "
                "recorded")
    return None


def write(result: Result) -> None:
    snippet = result.snippet
    snippet.output_text.parent.mkdir(parents=True, exist_ok=True)
    snippet.output_text.write_text(result.output, encoding="utf-8")
    record = {"key": snippet.key(), "snippet": f"snippets/{snippet.rel}", "raised": result.error_type,
              "output_sha256": text_hash(result.output)}
    snippet.output_record.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def failure_report(result: Result, pages: list[str]) -> str:
    """What a contributor needs to fix a snippet that did not run as declared."""
    snippet = result.snippet
    shown = ", ".join(pages) if pages else "no page yet"
    head = f"snippets/{snippet.rel} (shown on {shown})"
    if result.blocked_by:
        return (f"{head} did not run: it runs after snippets/{result.blocked_by.rel}, which failed "
                "(its own report says why).")
    if result.changed:
        return (f"{head} changed the repository while it ran: {', '.join(result.changed)}. A snippet may write "
                "only in the folder it runs in (its working directory); undo the change with git.")
    if result.timed_out:
        return f"{head} was killed after its timeout of {result.timeout:g} s. Make it faster or raise '# Timeout:'."
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
    """None when the stored output (as it was before the snippet ran) is what the snippet printed; else what to do."""
    snippet = result.snippet
    path = snippet.output_text.relative_to(REPO)
    why = staleness(snippet, result.stored_text, result.stored_record)
    edited = why is not None and why.startswith("was edited by hand")
    if why and not edited:
        return f"the output of snippets/{snippet.rel} {why}. Run `make outputs` and commit {path.parent}/."
    if result.stored_text != result.output:
        diff = "".join(difflib.unified_diff(result.stored_text.splitlines(True), result.output.splitlines(True),
                                            f"{path} (stored)", f"snippets/{snippet.rel} (printed now)"))
        if edited:
            return (f"the output of snippets/{snippet.rel} {why}. Outputs are written by `make outputs`, never by "
                    f"hand: run `make outputs` and commit {path.parent}/.\n{diff}")
        return (f"{path} is not what snippets/{snippet.rel} prints now (this run used PYTHONHASHSEED="
                f"{result.hash_seed}; an output that depends on it, e.g. a printed set, differs for readers). "
                f"Outputs are written by `make outputs`, never by hand.\n{diff}")
    return None


def reader_difference(usual: Result, reader: Result) -> str | None:
    """None when the run 'as on another machine' printed what the usual run printed."""
    if usual.output == reader.output and usual.error_type == reader.error_type:
        return None
    snippet = usual.snippet
    diff = "".join(difflib.unified_diff(usual.output.splitlines(True), reader.output.splitlines(True),
                                        f"PYTHONHASHSEED={usual.hash_seed}",
                                        f"PYTHONHASHSEED={reader.hash_seed} " + " ".join(
                                            f"{k}={v}" for k, v in READER_MACHINE.items())))
    return (f"snippets/{snippet.rel} prints something else on another machine: another hash seed (the order of a "
            "set), other CPU kernels or thread counts (the last digits of a float). A reader would not see what the "
            "page shows. Sort what you print, or round floats to the digits that do not depend on the machine.\n"
            + diff)


def pages_showing(rel: str) -> list[str]:
    from tools.page_rules import pages_showing as showing  # the pages, read only when there is a failure to report
    return showing(rel)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="run every snippet, not only stale ones")
    parser.add_argument("snippets", nargs="*", metavar="SNIPPET", help="path below snippets/ to record again")
    args = parser.parse_args(argv)
    everything = discover()
    named = {rel.removeprefix("snippets/") for rel in args.snippets}
    unknown = sorted(named - {s.rel for s in everything})
    if unknown:
        print(f"outputs: no such snippet: {', '.join(unknown)} (give paths below snippets/, e.g. "
              "save-load/save_state_dict.py)", file=sys.stderr)
        return 2
    try:
        todo = [s for s in everything if args.all or s.rel in named or (not named and staleness(s))]
        for snippet in todo:
            snippet.timeout  # noqa: B018 - a bad declaration is reported before anything runs
    except SnippetError as exc:
        print(f"outputs: {exc}", file=sys.stderr)
        return 1
    if not todo:
        print("outputs: all up to date (to record one again: make outputs ONLY=<path below snippets/>)")
        return 0
    failed = 0
    with SnippetRunner() as runner, SnippetRunner(environment=READER_MACHINE, time_factor=READER_TIME_FACTOR) as reader, \
            tempfile.TemporaryDirectory(prefix="outputs-") as root:
        chains, reader_chains = ChainRunner(runner, Path(root) / "usual"), ChainRunner(reader, Path(root) / "reader")
        (Path(root) / "usual").mkdir()
        (Path(root) / "reader").mkdir()
        for snippet in todo:
            result = chains.run(snippet)
            problem = None if result.ok else failure_report(result, pages_showing(snippet.rel))
            if problem is None:
                again = reader_chains.run(snippet)
                problem = (failure_report(again, pages_showing(snippet.rel)) if not again.ok
                           else reader_difference(result, again))
            if problem:
                failed += 1
                print(problem, file=sys.stderr)
                continue
            write(result)
            print(f"outputs: wrote {snippet.output_text.relative_to(REPO)} ({result.seconds:.2f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
