"""Benchmark of the pipeline itself (not of the formats): `make bench`.

Prints the cost the runner adds to each snippet, the time of every snippet, and the time to build the site.
Figures are medians of repeated runs on this machine; they vary with load.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tools.serve_probe import edit_to_visible, served_copy
from tools.site import build
from tools.snippet_runner import ChainRunner, SnippetRunner
from tools.snippets import discover


@dataclass(frozen=True)
class _Probe:
    """A program outside snippets/, run like a snippet."""
    path: Path
    timeout: float = 30.0
    expected_error: str | None = None


def _median_run(runner: SnippetRunner, code: str, repeat: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        probe = _Probe(Path(folder) / "probe.py")
        probe.path.write_text(code)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = runner.run(probe, Path(folder))
            times.append(time.perf_counter() - started)
            assert result.exit_code == 0, result.output
        return statistics.median(times)


def _build_seconds() -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        build(Path(out), quiet=True, check=True)
        return time.perf_counter() - started


EDITS = 5  # per language


def _edit_to_visible() -> dict[str, list[float]]:
    """`make serve` in a copy of the repository: seconds from saving a one-sentence edit to the served page showing
    it, EDITS times per language, the two languages taking turns."""
    times: dict[str, list[float]] = {"en": [], "zh": []}
    with served_copy() as (root, base):
        for _ in range(EDITS):
            for lang in times:
                times[lang].append(edit_to_visible(root, base, lang))
                time.sleep(2.0)  # the Chinese twin of an English edit is rebuilt after it: let it finish
    return times


def main() -> int:
    started = time.perf_counter()
    with SnippetRunner() as runner:
        server_start = time.perf_counter() - started
        empty = _median_run(runner, "pass\n", 20)
        imports = _median_run(runner, "import torch, onnx, onnxruntime, safetensors.torch\n", 10)
        cold = []
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "import torch, onnx, onnxruntime"], check=True)
            cold.append(time.perf_counter() - t)
        with tempfile.TemporaryDirectory() as root:
            chains = ChainRunner(runner, Path(root))
            wall = time.perf_counter()
            results = [chains.run(s) for s in discover()]
            wall = time.perf_counter() - wall
    slowest = sorted(results, key=lambda r: r.seconds, reverse=True)[:8]
    builds = [_build_seconds() for _ in range(3)]
    edits = _edit_to_visible()

    print("Snippet runner")
    print(f"  server start (imports torch, onnx, onnxruntime once)   {server_start:6.2f} s")
    print(f"  overhead per snippet (empty program, median of 20)     {empty * 1000:6.0f} ms   target <= 200 ms")
    print(f"  'import torch, onnx, onnxruntime' inside a snippet       {imports * 1000:6.0f} ms")
    print(f"  the same import in a new interpreter (median of 3)     {statistics.median(cold) * 1000:6.0f} ms")
    print(f"Snippets: {len(results)}, run one after another")
    print(f"  total of snippet times                                 {sum(r.seconds for r in results):6.2f} s")
    print(f"  wall time, all snippets                                {wall:6.2f} s")
    print("  slowest:")
    for r in slowest:
        print(f"    {r.seconds:6.2f} s  snippets/{r.snippet.rel}{'' if r.ok else '  (FAILED)'}")
    print("Site build (both languages, mkdocs build --strict, median of 3)")
    print(f"  {statistics.median(builds):6.2f} s   (what `make test` and CI build)")
    print(f"Writer's loop: `make serve`, one sentence edited -> the served page shows it (median of {EDITS})")
    for lang, seconds in edits.items():
        print(f"  {lang}  {statistics.median(seconds):6.2f} s   target < 2 s   (each: "
              + " ".join(f"{s:.2f}" for s in seconds) + ")")
    slow = max(statistics.median(seconds) for seconds in edits.values()) >= 2.0
    return 0 if empty <= 0.2 and not slow else 1


if __name__ == "__main__":
    sys.exit(main())
