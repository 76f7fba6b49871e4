"""Peak memory of the ways to load a ~300 MB model (the "big-models" page).

    python -m tools.bench_memory            measure, print a table, write generated/benchmarks/memory.json and
                                            the table of each language, memory-<lang>.md
    python -m tools.bench_memory --repeat 1 one run of each way instead of the median of three
    python -m tools.bench_memory --render   only rewrite the tables from generated/benchmarks/memory.json

Peak memory varies from run to run, so it is not a snippet output: this script measures it and writes
generated/benchmarks/memory-<lang>.md, which docs/<lang>/big-models.md show (`<!-- reference-table:
benchmark-big-models -->`, expanded by tools/reference.py in the page's language). Each way of loading runs in a fresh
Python process that imports torch, notes its peak resident memory (VmHWM in /proc/self/status), loads the
model, notes the peak again, runs one forward pass and notes it a third time. Linux only.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.paths import GENERATED

OUT = GENERATED / "benchmarks"
WIDTH, DEPTH = 4352, 4  # 4 x Linear(4352, 4352): 75.8 M float32 parameters, about 303 MB

# name -> the row label on the page: code only, so that both languages can include the same table
WAYS = {
    "load_copy": "`torch.load` → `load_state_dict`",
    "mmap_copy": "`torch.load(mmap=True)` → `load_state_dict`",
    "load_meta": "`meta` + `torch.load` → `assign=True`",
    "load_mmap_meta": "`meta` + `torch.load(mmap=True)` → `assign=True`",
    "st_load_copy": "safetensors `load_file` → `load_state_dict`",
    "st_safe_open_meta": "`meta` + safetensors `safe_open` → `assign=True`",
}


def _status(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


def _model():
    import torch.nn as nn
    return nn.Sequential(*[nn.Linear(WIDTH, WIDTH) for _ in range(DEPTH)])


def _child(way: str, folder: Path) -> None:
    """Runs in a fresh process: load the model one way, print the memory figures as JSON."""
    import torch
    torch.set_num_threads(1)
    after_import, anon_after_import = _status("VmHWM"), _status("RssAnon")
    pt, st = folder / "model.pt", folder / "model.safetensors"
    if way == "load_copy":
        model = _model()
        model.load_state_dict(torch.load(pt))
    elif way == "mmap_copy":
        model = _model()
        model.load_state_dict(torch.load(pt, mmap=True))
    elif way == "load_meta":
        with torch.device("meta"):
            model = _model()
        model.load_state_dict(torch.load(pt), assign=True)
    elif way == "load_mmap_meta":
        with torch.device("meta"):
            model = _model()
        model.load_state_dict(torch.load(pt, mmap=True), assign=True)
    elif way == "st_load_copy":
        from safetensors.torch import load_file
        model = _model()
        model.load_state_dict(load_file(st))
    elif way == "st_safe_open_meta":
        from safetensors import safe_open
        with torch.device("meta"):
            model = _model()
        with safe_open(st, framework="pt", device="cpu") as f:
            model.load_state_dict({key: f.get_tensor(key) for key in f.keys()}, assign=True)
    else:
        raise ValueError(way)
    after_load = _status("VmHWM")
    with torch.no_grad():
        model(torch.ones(1, WIDTH))
    print(json.dumps({"after_import": after_import, "after_load": after_load, "after_forward": _status("VmHWM"),
                      "anon_after_import": anon_after_import, "anon_after_forward": _status("RssAnon"),
                      "file_after_forward": _status("RssFile")}))


def _make_files(folder: Path) -> int:
    import torch
    from safetensors.torch import save_file
    torch.manual_seed(0)
    state_dict = _model().state_dict()
    torch.save(state_dict, folder / "model.pt")
    save_file(state_dict, folder / "model.safetensors")
    return (folder / "model.pt").stat().st_size


def _measure(way: str, folder: Path) -> dict:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-m", "tools.bench_memory", "--child", way, str(folder)],
                          check=True, capture_output=True, text=True, env=env, cwd=Path(__file__).parent.parent)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _mib(n: float) -> str:
    return f"{n / 2**20:,.0f}"


# The table's words per language; the rows name code, the same in both.
WORDS = {
    "en": {"head": "| # | | VmHWM (load) | VmHWM (forward) | RssAnon |", "sep": " · ", "cpu": "CPU",
           "median": "median of {n} runs"},
    "zh": {"head": "| # | | 加载时峰值（VmHWM） | 前向计算后峰值（VmHWM） | 私有内存（RssAnon） |", "sep": " · ",
           "cpu": "核", "median": "{n} 次运行的中位数"},
}


def table(record: dict, lang: str) -> str:
    """The page's table and the line under it, from the stored results."""
    words, rows, machine = WORDS[lang], record["results"], record["machine"]
    lines = [words["head"], "|--:|---|--:|--:|--:|"]
    for number, (way, label) in enumerate(WAYS.items(), 1):
        row = rows[way]
        lines.append(f"| {number} | {label} | +{_mib(row['load_peak'])} MiB | +{_mib(row['forward_peak'])} MiB "
                     f"| +{_mib(row['private'])} MiB |")
    cpus = f"{machine['cpus']} CPU" if lang == "en" else f"{machine['cpus']} {words['cpu']}"
    lines += ["", words["sep"].join([
        f"`{DEPTH} × nn.Linear({WIDTH}, {WIDTH})`", f"`model.pt` {_mib(record['model']['file_bytes'])} MiB", cpus,
        f"{machine['memory_gib']} GiB", machine["system"], f"Python {machine['python']}", f"torch {machine['torch']}",
        f"safetensors {machine['safetensors']}", words["median"].format(n=record["repeat"]),
        "`python -m tools.bench_memory`"])]
    return "\n".join(lines) + "\n"


def write_tables(record: dict) -> list[Path]:
    written = []
    for lang in WORDS:
        path = OUT / f"memory-{lang}.md"
        path.write_text(table(record, lang), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each way; the table shows medians")
    parser.add_argument("--render", action="store_true", help="only rewrite the tables from memory.json")
    parser.add_argument("--child", nargs=2, metavar=("WAY", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child[0], Path(args.child[1]))
        return 0
    if args.render:
        for path in write_tables(json.loads((OUT / "memory.json").read_text(encoding="utf-8"))):
            print(f"wrote {path}")
        return 0

    import psutil
    import safetensors
    import torch

    rows = {}
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        folder = Path(tmp)
        file_size = _make_files(folder)
        for way in WAYS:
            runs = [_measure(way, folder) for _ in range(args.repeat)]
            rows[way] = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            rows[way]["load_peak"] = rows[way]["after_load"] - rows[way]["after_import"]
            rows[way]["forward_peak"] = rows[way]["after_forward"] - rows[way]["after_import"]
            rows[way]["private"] = rows[way]["anon_after_forward"] - rows[way]["anon_after_import"]
            print(f"{way:18} +{_mib(rows[way]['load_peak']):>5} MiB after loading, "
                  f"+{_mib(rows[way]['forward_peak']):>5} MiB after a forward pass "
                  f"(private +{_mib(rows[way]['private'])} MiB)")

    machine = {
        "cpus": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "safetensors": safetensors.__version__,
        "system": f"{platform.system()} {platform.machine()}",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    record = {"model": {"layers": f"{DEPTH} x Linear({WIDTH}, {WIDTH})", "file_bytes": file_size},
              "repeat": args.repeat, "machine": machine, "results": rows}
    (OUT / "memory.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")

    for path in write_tables(record):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
