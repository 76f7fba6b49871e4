"""Measure every format on one model at three sizes, loaded cold (the file dropped from the page cache first, as
at a service's start-up) and warm (the file in the page cache), each next to what the same disk can do with the
same bytes.

    python -m tools.bench_formats            full run: three model sizes (~30 MB, ~330 MB, ~1.2 GB of float32),
                                             2 cold and 2 warm loads of each way of loading per size, 2 saves
                                             (1 of the largest); measured runtime 19 min on this project's
                                             2-core machine while other jobs were running. Writes generated/benchmarks/
                                             (formats.json, tables, SVG plots)
    python -m tools.bench_formats --quick    tiny model, one run, into a temporary folder (what the tests run)

Every load runs in a fresh process, so that its peak memory is its own. A cold load evicts its file from the page
cache and checks with mincore that no page is left (tools/page_cache.py) before the clock starts; a run whose
file was still cached is kept in formats.json but marked invalid and left out of the figures. A warm load checks
that the whole file is cached. The disk's limit is measured in the same run on the same files: a sequential read
after eviction, with O_DIRECT where the filesystem allows it, and a read from the page cache.

Each load records three moments: the load call returns; the first forward pass has produced its output (for a
state_dict, after building the module on the meta device and load_state_dict(assign=True)); every weight has
been read once (a sum over each). Memory: the process's peak resident memory above its start, and how much of
what it holds at the end is file-backed (mapped page cache, which the kernel can drop and read again).
"""
from __future__ import annotations

import argparse
import contextlib
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

# format -> its ways of loading
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

# size -> (vocabulary, width, blocks) of the decoder. Parameters: 2 * vocabulary * width + blocks * 12 * width².
SIZES = {"small": (6000, 384, 2), "medium": (16000, 1024, 4), "large": (24000, 2048, 4)}
QUICK_SIZES = {"tiny": (1000, 64, 2)}
# (loads per way of loading and per mode, saves per format). Each load is a new process that first imports
# torch, which costs more than most loads: 108 processes for the full run. Two loads give a min and a max; the
# largest model is saved once, its ONNX export being the slowest step of the run.
RUNS = {"small": (2, 2), "medium": (2, 2), "large": (2, 1), "tiny": (1, 1)}
MODES = ("cold", "warm")


# ---------------------------------------------------------------- the model


def build_model(shape: tuple[int, int, int]):
    """A small GPT-like decoder: token embeddings, attention and MLP blocks, an output head (not tied, since
    safetensors refuses tied tensors). Built on the current default device (the meta device builds it free)."""
    import torch.nn as nn
    import torch.nn.functional as F

    vocab, dim, blocks = shape

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
    return TinyGPT().eval()


def example_tokens(shape):
    import torch
    return torch.randint(0, shape[0], (1, 16), generator=torch.Generator().manual_seed(0))


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


def _status(field: str) -> int:
    """A field of /proc/self/status in bytes: VmRSS (now), VmHWM (peak since exec; getrusage's ru_maxrss would
    report the parent's peak), RssFile (file-backed pages mapped now: page cache the kernel may drop)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status (the benchmark measures memory on Linux only)")


def _child(fmt: str, variant: str, path: str, shape: str, mode: str) -> dict:
    """Load one file, run one forward pass, read every weight once; report the three moments and memory.
    mode: "cold" (evict, check), "warm" (check that the file is cached), "cold-unevicted" (check without
    evicting: a cold run that must come out invalid; the tests use it)."""
    import warnings
    warnings.filterwarnings("ignore")
    import numpy as np
    import torch

    from tools import page_cache
    shape = tuple(json.loads(shape))
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
        build_model(QUICK_SIZES["tiny"])  # defines the classes the pickle refers to (the sizes do not matter)
    tokens = example_tokens(shape)
    cache = page_cache.cold(path, evict_first=mode == "cold")
    valid = cache["evicted"] if mode.startswith("cold") else cache["resident_pages"] == cache["pages"]
    before, file_before = _status("VmRSS"), _status("RssFile")
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

    # Make it usable and run it once: weights alone (state_dict, safetensors, GGUF) go into a module built on
    # the meta device, which allocates nothing; assign=True keeps their memory (mapped or not) as it is.
    if variant == "onnxruntime.InferenceSession":
        name = loaded.get_inputs()[0].name
        loaded.run(None, {name: tokens.numpy()})
        weights = []  # ONNX Runtime copied every weight into its own memory while creating the session
    else:
        if fmt == "export_pt2":
            module = loaded.module()
        elif isinstance(loaded, (torch.nn.Module, torch.jit.ScriptModule)):
            module = loaded
        else:
            state = loaded if isinstance(loaded, dict) else {
                t.name: torch.from_numpy(np.asarray(t.data)) for t in loaded.tensors}
            with torch.device("meta"), _without_init():
                module = build_model(shape)
            module.load_state_dict(state, assign=True)
        with torch.no_grad():
            module(tokens)
        weights = list(module.state_dict().values())
    forward = time.perf_counter() - start
    # Read every weight once: the forward pass used only 16 rows of the embedding; a lazy loader pays the rest here.
    total = 0.0
    for tensor in weights:
        total += float(tensor.float().sum())
    ready = time.perf_counter() - start
    peak = max(0, _status("VmHWM") - before)
    mapped = min(peak, max(0, _status("RssFile") - file_before))
    return {"open_s": opened, "forward_s": forward, "ready_s": ready, "peak_bytes": peak, "file_backed_bytes": mapped,
            "valid": valid, "resident_pages": cache["resident_pages"], "pages": cache["pages"]}


@contextlib.contextmanager
def _without_init():
    """Build a module without initialising its weights: they are about to be replaced, and on the meta device
    the first random initialisation imports torch's decompositions, seconds that are not loading."""
    import torch.nn.init as init
    saved = {name: getattr(init, name) for name in ("normal_", "uniform_", "kaiming_uniform_", "ones_", "zeros_")}
    for name in saved:
        setattr(init, name, lambda tensor, *args, **kwargs: tensor)
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(init, name, function)


def run_child(fmt: str, variant: str, path: Path, shape, mode: str) -> dict:
    busy = os.getloadavg()[0]   # the machine's 1-minute load average as the load starts: was other work running?
    env = dict(os.environ, PYTHONPATH=str(REPO), OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "2"))
    run = subprocess.run([sys.executable, "-m", "tools.bench_formats", "--child", fmt, variant, str(path),
                          json.dumps(list(shape)), mode], capture_output=True, text=True, cwd=REPO, env=env)
    if run.returncode:
        raise RuntimeError(f"loading {fmt} with {variant} failed:\n{run.stderr[-3000:]}")
    return dict(json.loads(run.stdout.strip().splitlines()[-1]), load_average=busy)


# ---------------------------------------------------------------- the whole run


def spread(values) -> dict | None:
    values = sorted(values)
    if not values:
        return None
    return {"min": values[0], "median": statistics.median(values), "max": values[-1]}


def summarise(runs: list[dict]) -> dict:
    """min / median / max of each figure over the valid runs; invalid runs are counted, not used."""
    valid = [r for r in runs if r["valid"]]
    out = {key: spread(r[key] for r in valid)
           for key in ("open_s", "forward_s", "ready_s", "peak_bytes", "file_backed_bytes")}
    return dict(out, valid_runs=len(valid), invalid_runs=len(runs) - len(valid), runs=runs)


def disk_limit(path: Path, runs: int) -> dict:
    """The same file read sequentially: after eviction (buffered, and with O_DIRECT where allowed), and cached."""
    from tools import page_cache
    out = {"cold": [], "direct": [], "warm": [], "invalid": 0, "direct_unavailable": None}
    for _ in range(runs):
        if page_cache.cold(path)["evicted"]:
            out["cold"].append(page_cache.read_all(path))
        else:
            out["invalid"] += 1
        if out["direct_unavailable"] is None:
            page_cache.evict(path)
            try:
                out["direct"].append(page_cache.read_all(path, direct=True))
            except page_cache.DirectUnavailable as refused:
                out["direct_unavailable"] = str(refused)
        page_cache.read_all(path)  # fills the cache
        out["warm"].append(page_cache.read_all(path))
    return out


def measure_size(size: str, shape, folder: Path, load_runs: int, save_runs: int, log=print) -> dict:
    import torch
    torch.manual_seed(0)
    model = build_model(shape)
    example = example_tokens(shape)
    params = sum(p.numel() for p in model.parameters())
    log(f"{size}: {params / 1e6:.1f} M parameters, {params * 4 / 1e6:.0f} MB of float32 weights")
    from tools import page_cache
    formats = {}
    for fmt, variants in VARIANTS.items():
        path = folder / f"model-{size}-{fmt}{SUFFIX[fmt]}"
        save_times = []
        for _ in range(save_runs):
            path.unlink(missing_ok=True)
            start = time.perf_counter()
            save(fmt, model, example, path)
            save_times.append(time.perf_counter() - start)
        entry = {"bytes": path.stat().st_size, "save_s": spread(save_times), "limit": disk_limit(path, load_runs),
                 "loads": {}}
        for variant in variants:
            runs = {mode: [] for mode in MODES}
            for _ in range(load_runs):  # cold and warm alternate, so that a slow minute of the machine hits both
                runs["cold"].append(run_child(fmt, variant, path, shape, "cold"))
                page_cache.read_all(path)
                runs["warm"].append(run_child(fmt, variant, path, shape, "warm"))
            entry["loads"][variant] = {mode: summarise(r) for mode, r in runs.items()}
            cold, warm = entry["loads"][variant]["cold"], entry["loads"][variant]["warm"]
            log(f"  {fmt:12} {variant:29} {entry['bytes'] / 1e6:7.1f} MB  "
                f"cold {_median(cold, 'ready_s')}  warm {_median(warm, 'ready_s')}  "
                f"invalid {cold['invalid_runs'] + warm['invalid_runs']}")
        formats[fmt] = entry
        path.unlink()
    return {"parameters": params, "shape": list(shape), "load_runs": load_runs, "save_runs": save_runs,
            "formats": formats}


def _median(summary: dict, key: str) -> str:
    return "invalid" if summary[key] is None else f"{summary[key]['median']:.3f} s"


def measure(quick: bool, folder: Path, load_runs: int | None = None, save_runs: int | None = None, log=print) -> dict:
    import numpy as np  # noqa: F401 - imported before timing anything
    import torch  # noqa: F401 - imported before timing anything

    from tools.versions import installed_versions  # the same versions, named the same way, as the reference

    began = time.perf_counter()
    sizes = {}
    for size, shape in (QUICK_SIZES if quick else SIZES).items():
        loads, saves = RUNS[size]
        sizes[size] = measure_size(size, shape, folder, load_runs or loads, save_runs or saves, log)
    busy = {"load_average": spread(run["load_average"] for size in sizes.values() for fmt in size["formats"].values()
                                   for load in fmt["loads"].values() for mode in load.values() for run in mode["runs"])}
    return {"quick": quick, "machine": machine() | busy, "versions": installed_versions(),
            "date": datetime.date.today().isoformat(), "filesystem": filesystem(folder),
            "runtime_s": time.perf_counter() - began, "sizes": sizes}


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


def filesystem(folder: Path) -> str:
    """The type of the filesystem the files were on (ext4, tmpfs...), from /proc/self/mounts."""
    best, kind = "", "unknown"
    target = str(folder.resolve())
    for line in Path("/proc/self/mounts").read_text().splitlines():
        _, mount, fstype, *_ = line.split()
        if (target == mount or target.startswith(mount.rstrip("/") + "/")) and len(mount) > len(best):
            best, kind = mount, fstype
    return kind


# ---------------------------------------------------------------- rendering: tables, sentences and plots


_T = {
    "format": {"en": "Format · loaded with", "zh": "格式 · 加载方式"},
    "size": {"en": "File", "zh": "文件大小"},
    "save": {"en": "Save", "zh": "保存"},
    "cold_open": {"en": "Cold: call returns", "zh": "冷：调用返回"},
    "cold_forward": {"en": "Cold: first forward pass", "zh": "冷：首次前向计算"},
    "cold_ready": {"en": "Cold: every weight read", "zh": "冷：读完所有权重"},
    "cold_ratio": {"en": "Cold: × disk read", "zh": "冷：× 磁盘读取"},
    "warm_open": {"en": "Warm: call returns", "zh": "热：调用返回"},
    "warm_forward": {"en": "Warm: first forward pass", "zh": "热：首次前向计算"},
    "warm_ready": {"en": "Warm: every weight read", "zh": "热：读完所有权重"},
    "warm_ratio": {"en": "Warm: × cached read", "zh": "热：× 缓存读取"},
    "peak": {"en": "Peak memory (cold)", "zh": "峰值内存（冷）"},
    "mapped": {"en": "of it page cache", "zh": "其中页缓存"},
    "model": {"en": "Model", "zh": "模型"},
    "model_cell": {"en": "{count} parameters", "zh": "{count}个参数"},
    "limit_cold": {"en": "Read after eviction", "zh": "清出缓存后读取"},
    "limit_direct": {"en": "Read with O_DIRECT", "zh": "用 O_DIRECT 读取"},
    "limit_warm": {"en": "Read from the page cache", "zh": "从页缓存读取"},
    "unavailable": {"en": "not available ({why})", "zh": "不可用（{why}）"},
    "invalid": {"en": "invalid", "zh": "无效"},
    "size_line": {"en": "{count} parameters, a state_dict file of {mb:.0f} MB. Disk limit for these files: "
                        "{cold:.2f} GB/s read after eviction, {warm:.2f} GB/s from the page cache (medians).",
                  "zh": "{count}个参数，state_dict 文件 {mb:.0f} MB。这些文件的磁盘上限：清出缓存后读取 "
                        "{cold:.2f} GB/s，从页缓存读取 {warm:.2f} GB/s（中位数）。"},
    "invalid_line": {"en": "Runs left out as invalid, their file not in the cache state they measure: {n}.",
                     "zh": "文件不处于应测缓存状态、判为无效而未计入的运行：{n} 次。"},
    "noise": {"en": "{mode}, every weight read: {groups}.", "zh": "{mode}，读完所有权重：{groups}。"},
    "noise_group": {"en": "the ranges of {names} overlap, so their order is noise",
                    "zh": "{names}的范围相互重叠，它们的先后只是噪声"},
    "noise_none": {"en": "no two min–max ranges overlap", "zh": "没有任何两个最小–最大值范围重叠"},
    "and": {"en": " and ", "zh": "与"},
    "sep": {"en": "; ", "zh": "；"},
    "list_sep": {"en": ", ", "zh": "、"},
    "cold": {"en": "Cold", "zh": "冷缓存"},
    "warm": {"en": "Warm", "zh": "热缓存"},
    "plot_load": {"en": "Time until every weight is read, against file size, cold (top) and warm (bottom); "
                        "bars: min–max; dashed: the same bytes read sequentially",
                  "zh": "读完所有权重所需时间与文件大小的关系，上为冷缓存，下为热缓存；竖线为最小–最大值；"
                        "虚线为顺序读取同样字节的时间"},
    "plot_memory": {"en": "Peak memory of a cold load of the largest model, as a multiple of the file size",
                    "zh": "冷缓存加载最大模型时的峰值内存，相对文件大小的倍数"},
    "axis_size": {"en": "file size (MB)", "zh": "文件大小，MB"},
    "axis_time": {"en": "seconds", "zh": "秒"},
    "axis_memory": {"en": "peak memory ÷ file size", "zh": "峰值内存 ÷ 文件大小"},
    "disk": {"en": "disk read (limit)", "zh": "磁盘读取（上限）"},
    "cached_read": {"en": "read from page cache", "zh": "从页缓存读取"},
    "private": {"en": "private memory", "zh": "私有内存"},
    "page_cache": {"en": "page cache (can be dropped)", "zh": "页缓存（可回收）"},
    "link": {"en": "Link to {what}", "zh": "链接到{what}"},
    "machine": {"en": "Measured on {cpu} ({cores} cores, {memory_gib} GiB RAM, {os}), files on {filesystem}, "
                      "{versions}, on {date}. Each figure is the median of {load_runs} loads, each in a new process "
                      "(min–max in brackets); saves: {save_runs}. The whole run took {minutes:.0f} minutes.",
                "zh": "测量环境：{cpu}（{cores} 核，{memory_gib} GiB 内存，{os}），文件位于 {filesystem}，"
                      "{versions}，{date}。每个数字是 {load_runs} 次加载（每次新进程）的中位数，括号内为最小–最大值；"
                      "保存次数：{save_runs}。整个运行耗时 {minutes:.0f} 分钟。"},
    # other work on the machine slows every loader: the run says how busy it was, measured, not assumed
    "busy": {"en": " The machine's 1-minute load average before each load: median {median:.1f}, at most {max:.1f} "
                   "({cores} cores: above {cores}, other work was competing for them).",
             "zh": "每次加载前机器的 1 分钟平均负载：中位数 {median:.1f}，最高 {max:.1f}（共 {cores} 核，超过 {cores} "
                   "说明有其他任务在争用 CPU）。"},
}
MAPPED = {"torch.load(mmap=True)", "load_file", "GGUFReader"}  # the loaders that map the file instead of copying it
NAMES = {"state_dict": {"en": "state_dict", "zh": "状态字典"}, "whole_model": {"en": "whole model", "zh": "整个模型"},
         "safetensors": "safetensors", "torchscript": "TorchScript", "onnx": "ONNX", "export_pt2": ".pt2",
         "gguf": "GGUF"}


def _times(ratio: float) -> str:
    return f"{ratio:.2f}×" if ratio < 1 else f"{ratio:.1f}×"


def _name(fmt: str, lang: str) -> str:
    name = NAMES[fmt]
    return name[lang] if isinstance(name, dict) else name


def _seconds(s: dict | None, lang: str) -> str:
    if s is None:
        return _T["invalid"][lang]
    if s["min"] == s["max"]:
        return f"{s['median']:.3f} s"
    return f"{s['median']:.3f} s ({s['min']:.3f}–{s['max']:.3f})"


def _bandwidths(size: dict, kind: str) -> dict | None:
    """GB/s of every read of every file of this size, as min / median / max."""
    return spread(entry["bytes"] / seconds / 1e9 for entry in size["formats"].values()
                  for seconds in entry["limit"][kind])


def _gbs(s: dict | None, lang: str) -> str:
    if s is None:
        return _T["invalid"][lang]
    return f"{s['median']:.2f} GB/s" + ("" if s["min"] == s["max"] else f" ({s['min']:.2f}–{s['max']:.2f})")


def _ratio(load: dict | None, reads: list[float]) -> str:
    if load is None or not reads:
        return "–"
    return _times(load["median"] / statistics.median(reads))


def size_table(result: dict, size: str, lang: str) -> str:
    """One row per way of loading, with an id from the keys (`#benchmark-medium-onnx-...`); under it the size's
    disk limit and which differences are noise."""
    from tools.tables import Column, Row, render as render_table
    keys = ("size", "save", "cold_open", "cold_forward", "cold_ready", "cold_ratio",
            "warm_open", "warm_forward", "warm_ready", "warm_ratio", "peak", "mapped")
    columns = [Column(k, _T[k][lang]) for k in keys]
    data = result["sizes"][size]
    rows, invalid = [], 0
    for fmt, entry in data["formats"].items():
        for variant, load in entry["loads"].items():
            cold, warm = load["cold"], load["warm"]
            invalid += cold["invalid_runs"] + warm["invalid_runs"]
            peak, mapped = cold["peak_bytes"], cold["file_backed_bytes"]
            rows.append(Row(f"{fmt}-{variant}", f"{_name(fmt, lang)} `{variant}`", (
                f"{entry['bytes'] / 1e6:.0f} MB", _seconds(entry["save_s"], lang),
                _seconds(cold["open_s"], lang), _seconds(cold["forward_s"], lang), _seconds(cold["ready_s"], lang),
                _ratio(cold["ready_s"], entry["limit"]["cold"]),
                _seconds(warm["open_s"], lang), _seconds(warm["forward_s"], lang), _seconds(warm["ready_s"], lang),
                _ratio(warm["ready_s"], entry["limit"]["warm"]),
                _T["invalid"][lang] if peak is None else f"{peak['median'] / 1e6:.0f} MB",
                _T["invalid"][lang] if mapped is None else f"{mapped['median'] / 1e6:.0f} MB")))
    head = Column("loader", _T["format"][lang])
    text = render_table(f"benchmark-{size}", head, columns, rows,
                        link_label=lambda what: _T["link"][lang].format(what=what))
    cold, warm = _bandwidths(data, "cold"), _bandwidths(data, "warm")
    lines = [_T["size_line"][lang].format(count=parameter_count(data["parameters"], lang),
                                          mb=data["formats"]["state_dict"]["bytes"] / 1e6,
                                          cold=cold["median"] if cold else float("nan"),
                                          warm=warm["median"] if warm else float("nan"))]
    lines += [noise(result, size, mode, lang) for mode in MODES]
    if invalid:
        lines.append(_T["invalid_line"][lang].format(n=invalid))
    return text + "\n\n" + "\n\n".join(lines)


def overlapping(ranges: dict[str, dict]) -> list[list[str]]:
    """Groups of names whose [min, max] ranges overlap, directly or through another one in the group (in order of
    their medians); only groups of two or more. Differences inside a group are within the spread of the runs."""
    ordered = sorted(ranges, key=lambda k: (ranges[k]["min"], ranges[k]["median"]))
    groups, reach = [], None
    for name in ordered:
        if groups and ranges[name]["min"] <= reach:
            groups[-1].append(name)
            reach = max(reach, ranges[name]["max"])
        else:
            groups.append([name])
            reach = ranges[name]["max"]
    return [sorted(g, key=lambda k: ranges[k]["median"]) for g in groups if len(g) > 1]


def _join(names: list[str], lang: str) -> str:
    return names[0] if len(names) == 1 else _T["list_sep"][lang].join(names[:-1]) + _T["and"][lang] + names[-1]


def noise(result: dict, size: str, mode: str, lang: str) -> str:
    ranges = {f"{_name(fmt, lang)} `{variant}`": load[mode]["ready_s"]
              for fmt, entry in result["sizes"][size]["formats"].items()
              for variant, load in entry["loads"].items() if load[mode]["ready_s"] is not None}
    groups = overlapping(ranges)
    said = _T["sep"][lang].join(_T["noise_group"][lang].format(names=_join(g, lang)) for g in groups)
    return _T["noise"][lang].format(mode=_T[mode][lang], groups=said or _T["noise_none"][lang])


def limit_table(result: dict, lang: str) -> str:
    """The disk's limit at each size: the same files read sequentially, evicted, with O_DIRECT, and cached."""
    from tools.tables import Column, Row, render as render_table
    columns = [Column(k, _T[k][lang]) for k in ("size", "limit_cold", "limit_direct", "limit_warm")]
    rows = []
    for size, data in result["sizes"].items():
        refused = next((e["limit"]["direct_unavailable"] for e in data["formats"].values()
                        if e["limit"]["direct_unavailable"]), None)
        direct = (_T["unavailable"][lang].format(why=refused) if refused
                  else _gbs(_bandwidths(data, "direct"), lang))
        rows.append(Row(size, _T["model_cell"][lang].format(count=parameter_count(data["parameters"], lang)), (
            f"{data['formats']['state_dict']['bytes'] / 1e6:.0f} MB", _gbs(_bandwidths(data, "cold"), lang),
            direct, _gbs(_bandwidths(data, "warm"), lang))))
    return render_table("benchmark-limit", Column("model", _T["model"][lang]), columns, rows,
                        link_label=lambda what: _T["link"][lang].format(what=what))


def caption(result: dict, lang: str) -> str:
    v = result["versions"]
    listed = ", ".join(f"{'Python' if k == 'python' else k} {x}" for k, x in v.items())
    sizes = result["sizes"].values()
    counts = lambda key: "/".join(str(s[key]) for s in sizes)  # noqa: E731 - one per size, smallest first
    return _T["machine"][lang].format(**result["machine"], versions=listed, date=result["date"],
                                      filesystem=result["filesystem"], load_runs=counts("load_runs"),
                                      save_runs=counts("save_runs"), minutes=result["runtime_s"] / 60) + (
        _T["busy"][lang].format(**result["machine"]["load_average"], cores=result["machine"]["cores"])
        if "load_average" in result["machine"] else "")


def _style():
    import logging
    import warnings

    import matplotlib
    matplotlib.use("Agg")
    warnings.filterwarnings("ignore", message="Glyph .* missing")  # Chinese is drawn by the browser (svg.fonttype)
    import matplotlib.pyplot as plt
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    ink = "#123456"  # a colour nothing else uses: replaced by currentColor, so the plot follows the page's theme
    plt.rcParams.update({"svg.fonttype": "none", "font.size": 11, "text.color": ink, "axes.labelcolor": ink,
                         "axes.edgecolor": ink, "xtick.color": ink, "ytick.color": ink,
                         "font.family": ["sans-serif"], "svg.hashsalt": "formats"})
    return plt, ink


def _svg(fig, plt, ink: str, kind: str, lang: str) -> str:
    import io
    import re
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


# One colour and marker per way of loading; mapped loaders dashed, copying ones solid.
_COLOURS = ["#4a90d9", "#1f4e8c", "#e8743b", "#b8461b", "#2ca02c", "#9467bd", "#8c564b", "#d62728", "#7f7f7f"]
_MARKERS = "osDd^v<>P"


def plot_load(result: dict, lang: str) -> str:
    """Time until every weight is read against file size, log-log, cold and warm, with the sequential read."""
    plt, ink = _style()
    sizes = list(result["sizes"].values())
    fig, axes = plt.subplots(2, 1, figsize=(5.4, 8.4), sharex=True)
    loaders = [(fmt, variant) for fmt, variants in VARIANTS.items() for variant in variants]
    for ax, mode in zip(axes, MODES):
        limit_kind = "cold" if mode == "cold" else "warm"
        x = [s["formats"]["state_dict"]["bytes"] / 1e6 for s in sizes]
        limit = [statistics.median(s["formats"]["state_dict"]["limit"][limit_kind]) for s in sizes]
        ax.plot(x, limit, color=ink, linestyle=(0, (4, 2)), linewidth=2, zorder=3,
                label=_T["disk" if mode == "cold" else "cached_read"][lang])
        for i, (fmt, variant) in enumerate(loaders):
            points = [(s["formats"][fmt]["bytes"] / 1e6, s["formats"][fmt]["loads"][variant][mode]["ready_s"])
                      for s in sizes]
            points = [(mb, r) for mb, r in points if r is not None]
            if not points:
                continue
            xs = [mb for mb, _ in points]
            med = [r["median"] for _, r in points]
            err = [[r["median"] - r["min"] for _, r in points], [r["max"] - r["median"] for _, r in points]]
            ax.errorbar(xs, med, yerr=err, color=_COLOURS[i], marker=_MARKERS[i], markersize=4, linewidth=1.2,
                        linestyle="--" if variant in MAPPED else "-", capsize=2, label=f"{_name(fmt, lang)} · {variant.removeprefix('onnxruntime.')}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(_T[mode][lang], fontsize=12, loc="left")
        ax.set_ylabel(_T["axis_time"][lang], fontsize=11)
        ax.grid(True, which="major", linewidth=0.4, alpha=0.4, color=ink)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_facecolor("none")
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
    plain_number = FuncFormatter(lambda value, _: f"{value:g}")  # 0.5, 2, 300: not 5×10⁻¹
    for ax in axes:
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1, 2, 5)))
        ax.yaxis.set_major_formatter(plain_number)
        ax.yaxis.set_minor_formatter(NullFormatter())
    axes[-1].set_xticks(x)  # one tick per measured size, labelled in MB
    axes[-1].xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}"))
    axes[-1].xaxis.set_minor_formatter(NullFormatter())
    axes[-1].set_xlabel(_T["axis_size"][lang], fontsize=11)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, frameon=False, fontsize=8, handlelength=1.8,
               columnspacing=0.8)
    fig.tight_layout(rect=(0, 0.16, 1, 1))
    return _svg(fig, plt, ink, "load", lang)


def plot_memory(result: dict, lang: str) -> str:
    """Peak memory of a cold load at the largest size as a multiple of the file: private part and page cache."""
    plt, ink = _style()
    import matplotlib.patches
    size = list(result["sizes"].values())[-1]
    labels, private, cached = [], [], []
    for fmt, entry in size["formats"].items():
        for variant, load in entry["loads"].items():
            peak, mapped = load["cold"]["peak_bytes"], load["cold"]["file_backed_bytes"]
            if peak is None:
                continue
            labels.append(f"{_name(fmt, lang)} · {variant}")
            cached.append(mapped["median"] / entry["bytes"])
            private.append(max(0.0, peak["median"] / entry["bytes"] - cached[-1]))
    # 5 inches wide, shown at most 30em wide (layout.css); each bar has its label on a line of its own above it.
    fig, ax = plt.subplots(figsize=(5, 0.62 * len(labels) + 1.4))
    rows = range(len(labels))
    ax.barh(rows, private, height=0.42, color=_COLOURS[0], zorder=2)
    ax.barh(rows, cached, left=private, height=0.42, color=_COLOURS[2], zorder=2)
    ax.set_yticks([])
    ax.set_ylim(len(labels) - 0.5, -0.75)
    totals = [p + c for p, c in zip(private, cached)]
    right = max(totals + [1]) * 1.25 + 0.2
    for row, total, label in zip(rows, totals, labels):
        ax.text(0, row - 0.27, label, va="bottom", ha="left", fontsize=11)
        ax.text(total + right * 0.015, row, _times(total), va="center", fontsize=12, zorder=3)
    ax.set_xlim(0, right)
    ax.set_xlabel(_T["axis_memory"][lang], fontsize=12)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.set_facecolor("none")
    handles = [matplotlib.patches.Patch(color=_COLOURS[0], label=_T["private"][lang]),
               matplotlib.patches.Patch(color=_COLOURS[2], label=_T["page_cache"][lang])]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 1), frameon=False, fontsize=12,
               handlelength=1.2, borderaxespad=0.2)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.75 / (0.62 * len(labels) + 1.4)))
    return _svg(fig, plt, ink, "memory", lang)


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
    for old in out.glob("formats-*.md"):
        old.unlink()  # a size no longer measured must not stay on the page
    written = [out / "formats.json"]
    written[0].write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for lang in LANGUAGES:
        parts = {"formats": limit_table(result, lang) + "\n\n" + caption(result, lang)}
        parts.update({f"formats-{size}": size_table(result, size, lang) for size in result["sizes"]})
        for name, text in parts.items():
            path = out / f"{name}-{lang}.md"
            path.write_text(text + "\n", encoding="utf-8")
            written.append(path)
        for kind, draw in (("load", plot_load), ("memory", plot_memory)):
            path = out / f"{kind}-{lang}.svg"
            path.write_text(draw(result, lang) + "\n", encoding="utf-8")
            written.append(path)
    return written


def parameter_count(n: int, lang: str) -> str:
    """A parameter count to three significant figures, as each language counts: 33.3 M; 3330 万, 3.33 亿."""
    rounded = float(f"{n:.3g}")
    if lang == "zh":
        return f"{rounded / 1e8:.3g} 亿" if rounded >= 1e8 else f"{rounded / 1e4:.4g} 万"
    return f"{rounded / 1e6:.3g} M"


_CLAIM = {
    "en": "Measured here on the same terms (the model of {count} parameters, time until the call returns, "
          "the file in the page cache): `load_file` {st_open:.3f} s, `torch.load` {pt_open:.3f} s, so safetensors "
          "looks **{ratio:.0f}× faster**. Give `torch.load` the same advantage with `mmap=True` and it returns in "
          "{mm_open:.3f} s. Count until every weight has been read once, which any real use does, and the three "
          "take {st_ready:.3f} s, {pt_ready:.3f} s and {mm_ready:.3f} s: plain `torch.load` then takes "
          "{ready_ratio:.2f}× as long as `load_file`, and `torch.load(mmap=True)` {mm_ratio:.2f}× as long ({warm_noise}). "
          "From a cold cache, as at a service's start-up, the three take {c_st:.3f} s, {c_pt:.3f} s and "
          "{c_mm:.3f} s until every weight is read, against {disk:.3f} s to read the file from the disk "
          "({cold_noise}).",
    "zh": "在同样的条件下（{count}个参数的模型，只计到调用返回为止，文件在页缓存中）本站实测：`load_file` "
          "{st_open:.3f} 秒，`torch.load` {pt_open:.3f} 秒，safetensors 看上去**快了 {ratio:.0f} 倍**。给 `torch.load` "
          "同样的待遇，加上 `mmap=True`，它只需 {mm_open:.3f} 秒就返回。若计到所有权重都被读过一遍（实际使用总要读的），"
          "三者分别为 {st_ready:.3f} 秒、{pt_ready:.3f} 秒和 {mm_ready:.3f} 秒：普通 `torch.load` 所需时间是 `load_file` 的 "
          "{ready_ratio:.2f} 倍，`torch.load(mmap=True)` 是 `load_file` 的 {mm_ratio:.2f} 倍（{warm_noise}）。若是冷缓存，"
          "就像服务启动时那样，三者读完所有权重分别需要 {c_st:.3f} 秒、{c_pt:.3f} 秒和 {c_mm:.3f} 秒，而从磁盘读取"
          "这个文件需要 {disk:.3f} 秒（{cold_noise}）。",
}
_OVERLAP = {
    True: {"en": "the min–max ranges of `load_file` and `torch.load(mmap=True)` overlap: that difference is noise",
           "zh": "`load_file` 与 `torch.load(mmap=True)` 的最小–最大值范围重叠，这个差别只是噪声"},
    False: {"en": "the min–max ranges of `load_file` and `torch.load(mmap=True)` do not overlap",
            "zh": "`load_file` 与 `torch.load(mmap=True)` 的最小–最大值范围没有重叠"},
}


def claim_size(result: dict) -> str:
    """The size the claim is told on: the medium model (the size of GPT-2's weights) when it was measured."""
    return "medium" if "medium" in result["sizes"] else next(iter(result["sizes"]))


def _overlap(a: dict, b: dict) -> bool:
    return a["min"] <= b["max"] and b["min"] <= a["max"]


def claim(result: dict, lang: str) -> str:
    size = result["sizes"][claim_size(result)]
    st = size["formats"]["safetensors"]["loads"]["load_file"]
    pt = size["formats"]["state_dict"]["loads"]["torch.load"]
    mm = size["formats"]["state_dict"]["loads"]["torch.load(mmap=True)"]
    med = lambda load, mode, key: load[mode][key]["median"]  # noqa: E731
    return _CLAIM[lang].format(
        count=parameter_count(size["parameters"], lang),
        st_open=med(st, "warm", "open_s"), pt_open=med(pt, "warm", "open_s"), mm_open=med(mm, "warm", "open_s"),
        st_ready=med(st, "warm", "ready_s"), pt_ready=med(pt, "warm", "ready_s"), mm_ready=med(mm, "warm", "ready_s"),
        ratio=med(pt, "warm", "open_s") / med(st, "warm", "open_s"),
        ready_ratio=med(pt, "warm", "ready_s") / med(st, "warm", "ready_s"),
        mm_ratio=med(mm, "warm", "ready_s") / med(st, "warm", "ready_s"),
        warm_noise=_OVERLAP[_overlap(st["warm"]["ready_s"], mm["warm"]["ready_s"])][lang],
        c_st=med(st, "cold", "ready_s"), c_pt=med(pt, "cold", "ready_s"), c_mm=med(mm, "cold", "ready_s"),
        disk=statistics.median(size["formats"]["safetensors"]["limit"]["cold"]),
        cold_noise=_OVERLAP[_overlap(st["cold"]["ready_s"], mm["cold"]["ready_s"])][lang])


def render(name: str, lang: str) -> str:
    """For the performance page (through tools.reference.expand): a table, a sentence, or a plot as SVG.
    benchmark: the disk's limit and how it was measured; benchmark-small/-medium/-large: one size's table;
    benchmark-claim: the sentence on the 76x claim; benchmark-load, benchmark-memory: the plots."""
    if name == "benchmark":
        return (OUT / f"formats-{lang}.md").read_text(encoding="utf-8")
    if name == "benchmark-claim":
        return claim(json.loads((OUT / "formats.json").read_text(encoding="utf-8")), lang)
    if name == "benchmark-big-models":   # the big-models page's memory table, written by tools/bench_memory.py
        return (OUT / f"memory-{lang}.md").read_text(encoding="utf-8")
    kind = name.removeprefix("benchmark-")
    if kind in SIZES:
        return (OUT / f"formats-{kind}-{lang}.md").read_text(encoding="utf-8")
    svg = (OUT / f"{kind}-{lang}.svg").read_text(encoding="utf-8")
    title = _T["plot_load" if kind == "load" else "plot_memory"][lang]
    return f'<figure class="bench-plot">\n{svg}\n<figcaption>{title}</figcaption>\n</figure>'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny model, one run, temporary output folder")
    parser.add_argument("--out", type=Path, help="where to write the results (default: generated/benchmarks/)")
    parser.add_argument("--load-runs", type=int, help="cold and warm loads per way of loading (default: RUNS)")
    parser.add_argument("--save-runs", type=int, help="saves per format (default: RUNS)")
    parser.add_argument("--render", action="store_true",
                        help="only rewrite the tables and plots from generated/benchmarks/formats.json")
    parser.add_argument("--child", nargs=5, metavar=("FORMAT", "VARIANT", "PATH", "SHAPE", "MODE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(*args.child)))
        return 0
    if args.render:
        for path in write(json.loads((OUT / "formats.json").read_text(encoding="utf-8"))):
            print(f"wrote {path}")
        return 0
    # The files go next to the repository (on its disk), not to /tmp, which may be a tmpfs in memory.
    (REPO / ".cache").mkdir(exist_ok=True)  # ignored by git
    with tempfile.TemporaryDirectory(prefix="bench-formats-", dir=REPO / ".cache") as d:
        result = measure(args.quick, Path(d), args.load_runs, args.save_runs)
        for size in result["sizes"].values():
            for entry in size["formats"].values():
                if entry["limit"]["direct_unavailable"]:
                    print(f"O_DIRECT not available on {result['filesystem']}: {entry['limit']['direct_unavailable']}")
                    break
    out = args.out or (Path(tempfile.mkdtemp(prefix="bench-out-")) if args.quick else OUT)
    for path in write(result, out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
