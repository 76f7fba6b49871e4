"""Measure every format on one realistic model: file size, save time, load time (also memory-mapped where the
format offers it), peak memory, each next to the physical limit: reading the same bytes from the same disk.

    python -m tools.bench_formats            full run: ~300 MB model, median of 5 loads / 3 saves (~3 min);
                                             writes generated/benchmarks/ (formats.json, tables, SVG plots)
    python -m tools.bench_formats --quick    small model, one run, into a temporary folder (what the tests run)

Every load runs in a fresh process, so that its peak memory is its own and nothing is shared with the save.
The files were just written, so the page cache is warm: the loads and the raw reads both read from memory,
which is the fair comparison here (dropping the cache needs root and would also be done for the raw read).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.paths import GENERATED, LANGUAGES, REPO

OUT = GENERATED / "benchmarks"

# format -> {variant: description}. A variant is one way of loading; "load" is the ordinary one.
VARIANTS = {
    "state_dict": ["torch.load", "torch.load(mmap=True)"],
    "whole_model": ["torch.load", "torch.load(mmap=True)"],
    "safetensors": ["load_file"],
    "torchscript": ["torch.jit.load"],
    "onnx": ["onnxruntime.InferenceSession"],
    "export_pt2": ["torch.export.load"],
    "gguf": ["GGUFReader"],
}
SUFFIX = {"state_dict": ".pt", "whole_model": ".pt", "safetensors": ".safetensors", "torchscript": ".pt",
          "onnx": ".onnx", "export_pt2": ".pt2", "gguf": ".gguf"}


# ---------------------------------------------------------------- the model


def build_model(quick: bool):
    """A small GPT-like decoder: token embeddings, attention and MLP blocks, an output head (not tied, since
    safetensors refuses tied tensors). Full: 16000 x 1024 vocabulary and 4 blocks, 83 M parameters, about 330 MB of float32."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    vocab, dim, blocks = (1000, 64, 2) if quick else (16000, 1024, 4)

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
            self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
            self.up, self.down = nn.Linear(dim, 4 * dim), nn.Linear(4 * dim, dim)
            self.heads = max(1, dim // 64)

        def forward(self, x):
            b, t, d = x.shape
            q, k, v = self.qkv(self.norm1(x)).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
            attention = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            x = x + self.proj(attention.transpose(1, 2).reshape(b, t, d))
            return x + self.down(F.gelu(self.up(self.norm2(x))))

    class TinyGPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(vocab, dim)
            self.blocks = nn.ModuleList(Block() for _ in range(blocks))
            self.norm = nn.LayerNorm(dim)
            self.head = nn.Linear(dim, vocab, bias=False)

        def forward(self, tokens):
            x = self.embed(tokens)
            for block in self.blocks:
                x = block(x)
            return self.head(self.norm(x))

    # Module-level names in tools.bench_formats (even when this runs as __main__), so that a whole-model
    # pickle written here can be loaded by the child processes.
    import importlib
    home = importlib.import_module("tools.bench_formats")
    for cls in (TinyGPT, Block):
        cls.__module__, cls.__qualname__ = "tools.bench_formats", cls.__name__
        setattr(home, cls.__name__, cls)
    torch.manual_seed(0)
    return TinyGPT().eval(), torch.randint(0, vocab, (1, 16))


# ---------------------------------------------------------------- saving (in this process)


def save(fmt: str, model, example, path: Path) -> None:
    import logging
    import warnings

    import torch
    warnings.filterwarnings("ignore")  # TorchScript's deprecation, the tracer's notes: not what is measured
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    if fmt == "state_dict":
        torch.save(model.state_dict(), path)
    elif fmt == "whole_model":
        torch.save(model, path)
    elif fmt == "safetensors":
        from safetensors.torch import save_file
        save_file(model.state_dict(), path)
    elif fmt == "torchscript":
        torch.jit.save(torch.jit.trace(model, (example,)), path)
    elif fmt == "onnx":
        torch.onnx.export(model, (example,), path, external_data=False, verbose=False)
    elif fmt == "export_pt2":
        torch.export.save(torch.export.export(model, (example,)), path)
    elif fmt == "gguf":
        import gguf
        writer = gguf.GGUFWriter(path, arch="bench")
        for name, tensor in model.state_dict().items():
            writer.add_tensor(name, tensor.numpy())
        writer.write_header_to_file(); writer.write_kv_data_to_file(); writer.write_tensors_to_file(); writer.close()
    else:
        raise ValueError(fmt)


# ---------------------------------------------------------------- loading (in a fresh child process)


def _child(fmt: str, variant: str, path: str) -> dict:
    """Load one file and read every weight once; report times and this process's peak memory above its start."""
    def memory(field: str) -> int:
        """VmRSS (now) or VmHWM (peak) of this process, in bytes. Unlike getrusage's ru_maxrss, the peak starts
        afresh at exec: ru_maxrss would report the parent's peak (the benchmark process, with the model)."""
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise RuntimeError(f"no {field} in /proc/self/status (the benchmark measures memory on Linux only)")

    def touch(tensors):
        total = 0.0
        for tensor in tensors:
            total += float(tensor.float().sum()) if hasattr(tensor, "float") else float(tensor.sum())
        return total

    if variant == "raw":
        before = memory("VmRSS")
        start = time.perf_counter()
        size = os.path.getsize(path)
        import mmap
        buffer = mmap.mmap(-1, size)  # anonymous memory, not zero-filled up front (a bytearray would be)
        with open(path, "rb", buffering=0) as f:
            view, done = memoryview(buffer), 0
            while done < size:
                done += f.readinto(view[done:done + (64 << 20)])
        opened = ready = time.perf_counter() - start
    else:
        import warnings
        warnings.filterwarnings("ignore")
        import numpy as np
        import torch
        # Imports are not what is measured: done before the clock starts, only those this variant needs.
        if variant == "GGUFReader":
            import gguf
        if variant == "onnxruntime.InferenceSession":
            import onnxruntime
        if variant == "torch.export.load":
            import torch._export.serde.serialize  # noqa: F401 - what torch.export.load uses
        if variant == "load_file":
            from safetensors.torch import load_file
        if fmt == "whole_model":
            build_model(quick=True)  # defines the classes the pickle refers to (the sizes do not matter)
        before = memory("VmRSS")
        start = time.perf_counter()
        if variant == "torch.load":
            loaded = torch.load(path, weights_only=fmt != "whole_model")
        elif variant == "torch.load(mmap=True)":
            loaded = torch.load(path, weights_only=fmt != "whole_model", mmap=True)
        elif variant == "load_file":
            loaded = load_file(path)
        elif variant == "torch.jit.load":
            loaded = torch.jit.load(path)
        elif variant == "onnxruntime.InferenceSession":
            loaded = onnxruntime.InferenceSession(path)
        elif variant == "torch.export.load":
            loaded = torch.export.load(path)
        elif variant == "GGUFReader":
            loaded = gguf.GGUFReader(path)
        opened = time.perf_counter() - start
        # Read every weight once: a lazy loader pays for the disk here, an eager one has already paid.
        if isinstance(loaded, dict):
            touch(loaded.values())
        elif hasattr(loaded, "state_dict") and callable(loaded.state_dict):
            touch(loaded.state_dict().values())
        elif hasattr(loaded, "state_dict"):
            touch(loaded.state_dict.values())
        elif hasattr(loaded, "tensors"):
            touch(np.asarray(t.data) for t in loaded.tensors)
        # ONNX Runtime copied every weight into its own memory while creating the session: nothing to touch.
        ready = time.perf_counter() - start
    peak = memory("VmHWM")
    return {"open_s": opened, "ready_s": ready, "peak_bytes": max(0, peak - before)}


def _run_child(fmt: str, variant: str, path: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO), OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "2"))
    run = subprocess.run([sys.executable, "-m", "tools.bench_formats", "--child", fmt, variant, str(path)],
                         capture_output=True, text=True, cwd=REPO, env=env)
    if run.returncode:
        raise RuntimeError(f"loading {fmt} with {variant} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the whole run


def measure(quick: bool, folder: Path, load_runs: int, save_runs: int, log=print) -> dict:
    import numpy as np  # noqa: F401 - imported before timing anything
    import torch  # noqa: F401 - imported before timing anything

    from tools.versions import installed_versions  # the same versions, named the same way, as the reference

    model, example = build_model(quick)
    params = sum(p.numel() for p in model.parameters())
    log(f"model: {params / 1e6:.1f} M parameters, {params * 4 / 1e6:.0f} MB of float32 weights")
    results = {}
    for fmt, variants in VARIANTS.items():
        path = folder / f"model-{fmt}{SUFFIX[fmt]}"
        save_times = []
        for _ in range(save_runs):
            path.unlink(missing_ok=True)
            start = time.perf_counter()
            save(fmt, model, example, path)
            save_times.append(time.perf_counter() - start)
        size = path.stat().st_size
        raw = [_run_child(fmt, "raw", path) for _ in range(load_runs)]
        raw_s = statistics.median(r["ready_s"] for r in raw)
        entry = {"bytes": size, "save_s": statistics.median(save_times), "save_runs": save_times,
                 "raw_read_s": raw_s, "raw_read_runs": [r["ready_s"] for r in raw], "loads": {}}
        for variant in variants:
            runs = [_run_child(fmt, variant, path) for _ in range(load_runs)]
            entry["loads"][variant] = {
                "open_s": statistics.median(r["open_s"] for r in runs),
                "ready_s": statistics.median(r["ready_s"] for r in runs),
                "peak_bytes": statistics.median(r["peak_bytes"] for r in runs),
                "runs": runs,
            }
        results[fmt] = entry
        for variant, load in entry["loads"].items():
            log(f"{fmt:12} {variant:29} size {size / 1e6:7.1f} MB  save {entry['save_s']:6.2f} s  "
                f"open {load['open_s']:6.3f} s  ready {load['ready_s']:6.3f} s = {load['ready_s'] / raw_s:5.1f}x raw "
                f"read ({raw_s:.3f} s)  peak {load['peak_bytes'] / 1e6:6.0f} MB = "
                f"{load['peak_bytes'] / size:4.2f}x file")
        path.unlink()
    return {"quick": quick, "parameters": params, "load_runs": load_runs, "save_runs": save_runs,
            "machine": machine(), "versions": installed_versions(), "date": datetime.date.today().isoformat(),
            "page_cache": "warm", "formats": results}


def machine() -> dict:
    import psutil
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30),
            "os": f"{platform.system()} {platform.release()}"}


# ---------------------------------------------------------------- rendering: table and plots


_T = {
    "format": {"en": "Format", "zh": "格式"},
    "load": {"en": "Loaded with", "zh": "加载方式"},
    "size": {"en": "File", "zh": "文件大小"},
    "save": {"en": "Save", "zh": "保存"},
    "open": {"en": "Call returns", "zh": "调用返回"},
    "ready": {"en": "Every weight read", "zh": "读完所有权重"},
    "raw": {"en": "Raw read of the same bytes", "zh": "同样字节的原始读取"},
    "ratio": {"en": "× raw read", "zh": "× 原始读取"},
    "peak": {"en": "Peak memory", "zh": "峰值内存"},
    "plot_load": {"en": "Time until every weight is read, as a multiple of the raw read of the same bytes (dashed line: 1×)",
                  "zh": "读完所有权重所需时间，相对同样字节原始读取的倍数（虚线为 1×）"},
    "plot_memory": {"en": "Peak memory of the loading process, as a multiple of the file size",
                    "zh": "加载进程的峰值内存，相对文件大小的倍数"},
    "axis_load": {"en": "time to read every weight ÷ raw read", "zh": "读完所有权重的时间 ÷ 原始读取时间"},
    "axis_memory": {"en": "peak memory ÷ file size", "zh": "峰值内存 ÷ 文件大小"},
    "copied": {"en": "copies the weights into memory", "zh": "把权重复制进内存"},
    "mapped": {"en": "maps the file (reads on demand)", "zh": "映射文件（按需读取）"},
    "link": {"en": "Link to {what}", "zh": "链接到{what}"},
    "machine": {"en": "Measured on {cpu} ({cores} cores, {memory_gib} GiB RAM, {os}), {versions}, on {date}; "
                      "model of {params:.0f} M parameters; medians of {load_runs} loads (each in a new process) and "
                      "{save_runs} saves; page cache warm.",
                "zh": "测量环境：{cpu}（{cores} 核，{memory_gib} GiB 内存，{os}），{versions}，{date}；"
                      "模型 {params:.0f} M 参数；加载取 {load_runs} 次（每次新进程）、保存取 {save_runs} 次的中位数；"
                      "页缓存为热缓存。"},
}
MAPPED = {"torch.load(mmap=True)", "load_file", "GGUFReader"}  # the loaders that map the file instead of copying it
COPIED_COLOUR, MAPPED_COLOUR = "#4a90d9", "#e8743b"
NAMES = {"state_dict": {"en": "state_dict", "zh": "状态字典"}, "whole_model": {"en": "whole model", "zh": "整个模型"},
         "safetensors": "safetensors", "torchscript": "TorchScript", "onnx": "ONNX", "export_pt2": ".pt2",
         "gguf": "GGUF"}


def _times(ratio: float) -> str:
    return f"{ratio:.2f}×" if ratio < 1 else f"{ratio:.1f}×"


def _name(fmt: str, lang: str) -> str:
    name = NAMES[fmt]
    return name[lang] if isinstance(name, dict) else name


def table(result: dict, lang: str) -> str:
    """One row per way of loading (format and call), with an id from the keys (`#benchmark-onnx-...`)."""
    from tools.tables import Column, Row, render as render_table
    columns = [Column(k, _T[k][lang]) for k in ("size", "save", "open", "ready", "ratio", "peak")]
    rows = []
    for fmt, entry in result["formats"].items():
        for variant, load in entry["loads"].items():
            rows.append(Row(f"{fmt}-{variant}", f"{_name(fmt, lang)} `{variant}`", (
                f"{entry['bytes'] / 1e6:.0f} MB", f"{entry['save_s']:.2f} s", f"{load['open_s']:.3f} s",
                f"{load['ready_s']:.3f} s", _times(load['ready_s'] / entry['raw_read_s']),
                f"{load['peak_bytes'] / 1e6:.0f} MB")))
    head = Column("loader", f"{_T['format'][lang]} · {_T['load'][lang]}")
    raw = statistics.median(e["raw_read_s"] / e["bytes"] for e in result["formats"].values()) * 1e9
    colon, stop = ("：", "。") if lang == "zh" else (": ", ".")   # Chinese prose: full-width punctuation
    return (render_table("benchmark", head, columns, rows, link_label=lambda what: _T["link"][lang].format(what=what))
            + f"\n\n{_T['raw'][lang]}{colon}{1 / raw:.2f} GB/s{stop}")


def caption(result: dict, lang: str) -> str:
    v = result["versions"]
    listed = ", ".join(f"{'Python' if k == 'python' else k} {x}" for k, x in v.items())
    return _T["machine"][lang].format(**result["machine"], versions=listed, date=result["date"],
                                      params=result["parameters"] / 1e6, load_runs=result["load_runs"],
                                      save_runs=result["save_runs"])


def plot(result: dict, kind: str, lang: str) -> str:
    """An SVG bar chart whose text and axes use currentColor, so it follows the page's light or dark theme."""
    import io
    import logging
    import re

    import warnings

    import matplotlib
    import matplotlib.patches
    matplotlib.use("Agg")
    warnings.filterwarnings("ignore", message="Glyph .* missing")  # Chinese is drawn by the browser (svg.fonttype)
    import matplotlib.pyplot as plt
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

    ink = "#123456"  # a colour no bar uses: replaced by currentColor below
    plt.rcParams.update({"svg.fonttype": "none", "font.size": 11, "text.color": ink, "axes.labelcolor": ink,
                         "axes.edgecolor": ink, "xtick.color": ink, "ytick.color": ink,
                         "font.family": ["sans-serif"], "svg.hashsalt": "formats"})
    labels, values, mapped = [], [], []
    for fmt, entry in result["formats"].items():
        for variant, load in entry["loads"].items():
            labels.append(f"{_name(fmt, lang)} · {variant}")
            values.append(load["ready_s"] / entry["raw_read_s"] if kind == "load"
                          else load["peak_bytes"] / entry["bytes"])
            mapped.append(variant in MAPPED)
    # 5 inches wide, shown at most 30em wide (layout.css): 12-point text is 12 px on a phone, 16 px on a laptop.
    # Each bar has its label on a line of its own above it, so the bars get the whole width.
    fig, ax = plt.subplots(figsize=(5, 0.62 * len(labels) + 1.4))
    colours = [MAPPED_COLOUR if m else COPIED_COLOUR for m in mapped]
    rows = range(len(labels))
    bars = ax.barh(rows, values, height=0.42, color=colours, zorder=2)
    ax.set_yticks([])
    ax.set_ylim(len(labels) - 0.5, -0.75)
    right = max(values) * 1.2 + 0.3
    pad = right * 0.015
    # the 1x line only beside the bars: it never runs through a label
    ax.vlines([1] * len(labels), [r - 0.25 for r in rows], [r + 0.25 for r in rows], colors=ink, linewidth=1,
              linestyles=(0, (3, 2)), zorder=1)
    for row, bar, value, label in zip(rows, bars, values, labels):
        ax.text(0, row - 0.27, label, va="bottom", ha="left", fontsize=11)
        # A value just under 1x would be written across the 1x line: such labels go to the right of the line.
        crosses = value < 1 and value + right * 0.13 > 1
        ax.text((1 if crosses else value) + pad, row, _times(value), va="center", fontsize=12, zorder=3)
    ax.set_xlim(0, right)
    ax.set_xlabel(_T["axis_load" if kind == "load" else "axis_memory"][lang], fontsize=12)
    ax.tick_params(axis="x", labelsize=11)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.set_facecolor("none")
    handles = [matplotlib.patches.Patch(color=COPIED_COLOUR, label=_T["copied"][lang]),
               matplotlib.patches.Patch(color=MAPPED_COLOUR, label=_T["mapped"][lang])]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 1), frameon=False, fontsize=12,
               handlelength=1.2, borderaxespad=0.2)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.75 / (0.62 * len(labels) + 1.4)))
    fig.patch.set_alpha(0)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # no XML declaration or DOCTYPE: it is inlined into the page
    svg = svg.replace(ink, "currentColor")
    svg = _own_ids(svg, f"plot-{kind}")
    svg = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg \1width="100%"', svg, count=1)
    title = _T["plot_load" if kind == "load" else "plot_memory"][lang]
    svg = svg.replace(">", f' role="img" aria-label="{title}">', 1)
    return "\n".join(line for line in svg.splitlines() if line.strip())


def _own_ids(svg: str, prefix: str) -> str:
    """Two plots share a page: matplotlib's ids (figure_1, patch_3, clip paths) would repeat, and a clip-path
    reference could find the other plot's. Ids nothing refers to go; the others get the plot's prefix."""
    import re
    for ident in set(re.findall(r' id="([^"]+)"', svg)):
        if f"#{ident})" in svg or f'#{ident}"' in svg:
            svg = svg.replace(f' id="{ident}"', f' id="{prefix}-{ident}"')
            svg = svg.replace(f"#{ident})", f"#{prefix}-{ident})").replace(f'#{ident}"', f'#{prefix}-{ident}"')
        else:
            svg = svg.replace(f' id="{ident}"', "")
    return svg


def write(result: dict, out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "formats.json"]
    written[0].write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for lang in LANGUAGES:
        path = out / f"formats-{lang}.md"
        path.write_text(table(result, lang) + "\n\n" + caption(result, lang) + "\n", encoding="utf-8")
        written.append(path)
        for kind in ("load", "memory"):
            path = out / f"{kind}-{lang}.svg"
            path.write_text(plot(result, kind, lang) + "\n", encoding="utf-8")
            written.append(path)
    return written


_CLAIM = {
    "en": "Measured here on the same terms (time until the call returns, the file in the page cache): `load_file` "
          "{st_open:.3f} s, `torch.load` {pt_open:.3f} s, so safetensors looks **{ratio:.0f}× faster**. Give "
          "`torch.load` the same advantage with `mmap=True` and it returns in {mm_open:.3f} s. Count until every "
          "weight has been read once, which any real use does, and the three take {st_ready:.3f} s, {pt_ready:.3f} s "
          "and {mm_ready:.3f} s: `load_file` is then {ready_ratio:.1f}× faster than plain `torch.load` and "
          "{mm_ratio:.1f}× as fast as `torch.load(mmap=True)`.",
    "zh": "在同样的条件下（只计到调用返回为止，文件在页缓存中）本站实测：`load_file` {st_open:.3f} 秒，`torch.load` "
          "{pt_open:.3f} 秒，safetensors 看上去**快了 {ratio:.0f} 倍**。给 `torch.load` 同样的待遇，加上 `mmap=True`，"
          "它只需 {mm_open:.3f} 秒就返回。若计到所有权重都被读过一遍（实际使用总要读的），三者分别为 {st_ready:.3f} 秒、"
          "{pt_ready:.3f} 秒和 {mm_ready:.3f} 秒：`load_file` 比普通 `torch.load` 快 {ready_ratio:.1f} 倍，"
          "速度是 `torch.load(mmap=True)` 的 {mm_ratio:.1f} 倍。",
}


def claim(result: dict, lang: str) -> str:
    st = result["formats"]["safetensors"]["loads"]["load_file"]
    pt = result["formats"]["state_dict"]["loads"]["torch.load"]
    mm = result["formats"]["state_dict"]["loads"]["torch.load(mmap=True)"]
    return _CLAIM[lang].format(st_open=st["open_s"], pt_open=pt["open_s"], mm_open=mm["open_s"],
                               st_ready=st["ready_s"], pt_ready=pt["ready_s"], mm_ready=mm["ready_s"],
                               ratio=pt["open_s"] / st["open_s"], ready_ratio=pt["ready_s"] / st["ready_s"],
                               mm_ratio=mm["ready_s"] / st["ready_s"])


def render(name: str, lang: str) -> str:
    """For the performance page (through tools.reference.expand): the table, a sentence, or a plot as SVG."""
    if name == "benchmark":
        return (OUT / f"formats-{lang}.md").read_text(encoding="utf-8")
    if name == "benchmark-claim":
        return claim(json.loads((OUT / "formats.json").read_text(encoding="utf-8")), lang)
    if name == "benchmark-big-models":   # the big-models page's memory table, written by tools/bench_memory.py
        return (OUT / f"memory-{lang}.md").read_text(encoding="utf-8")
    kind = name.removeprefix("benchmark-")
    svg = (OUT / f"{kind}-{lang}.svg").read_text(encoding="utf-8")
    title = _T["plot_load" if kind == "load" else "plot_memory"][lang]
    return f'<figure class="bench-plot">\n{svg}\n<figcaption>{title}</figcaption>\n</figure>'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small model, one run, temporary output folder")
    parser.add_argument("--out", type=Path, help="where to write the results (default: generated/benchmarks/)")
    parser.add_argument("--load-runs", type=int, help="loads per variant (median); default 5, quick 1")
    parser.add_argument("--save-runs", type=int, help="saves per format (median); default 3, quick 1")
    parser.add_argument("--render", action="store_true",
                        help="only rewrite the tables and plots from generated/benchmarks/formats.json")
    parser.add_argument("--child", nargs=3, metavar=("FORMAT", "VARIANT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(*args.child)))
        return 0
    if args.render:
        for path in write(json.loads((OUT / "formats.json").read_text(encoding="utf-8"))):
            print(f"wrote {path}")
        return 0
    load_runs = args.load_runs or (1 if args.quick else 5)
    save_runs = args.save_runs or (1 if args.quick else 3)
    with tempfile.TemporaryDirectory(prefix="bench-formats-") as d:
        result = measure(args.quick, Path(d), load_runs, save_runs)
    out = args.out or (Path(tempfile.mkdtemp(prefix="bench-out-")) if args.quick else OUT)
    for path in write(result, out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
