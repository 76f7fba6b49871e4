"""The benchmark behind the performance page (tools/bench_formats.py, tools/page_cache.py): a cold load is really
cold (the file leaves the page cache, and a run whose file stayed is marked invalid and left out), a refused
O_DIRECT is reported instead of failing, noise is named from the data, and the quick mode runs end to end.
No timing is asserted: speed is measured by `make bench-formats` only."""
import errno
import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from tools import bench_formats, page_cache
from tools.paths import LANGUAGES, REPO


@pytest.fixture
def disk_folder():
    """A folder on the repository's disk, where the benchmark puts its files (/tmp may be a tmpfs, whose pages
    cannot be evicted)."""
    (REPO / ".cache").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="test-bench-", dir=REPO / ".cache") as d:
        yield Path(d)


def _fincore_bytes(path: Path) -> int:
    """Resident bytes as util-linux's fincore sees them: a second opinion that does not share our ctypes code."""
    run = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)],
                         capture_output=True, text=True, check=True)
    return int(run.stdout.split()[0])


def _written_and_read(folder: Path, size: int = 8 << 20) -> Path:
    path = folder / "data.bin"
    path.write_bytes(os.urandom(size))
    page_cache.read_all(path)
    return path


def test_a_read_file_is_resident_and_eviction_empties_the_cache(disk_folder):
    path = _written_and_read(disk_folder)
    resident, pages = page_cache.resident_pages(path)
    assert pages == (8 << 20) // page_cache.PAGE
    assert resident == pages  # the check can see cached pages: a 0 below is not a check that always says 0
    assert _fincore_bytes(path) == 8 << 20
    state = page_cache.cold(path)
    assert state == {"resident_pages": 0, "pages": pages, "evicted": True}
    assert _fincore_bytes(path) == 0
    page_cache.read_all(path)  # reading it again brings it back
    assert page_cache.resident_pages(path) == (pages, pages)


def test_skipping_the_eviction_is_seen(disk_folder):
    path = _written_and_read(disk_folder)
    state = page_cache.cold(path, evict_first=False)
    assert state["evicted"] is False and state["resident_pages"] == state["pages"] > 0


def test_a_cold_load_whose_file_stayed_cached_is_invalid_and_left_out(disk_folder):
    """The real child process: told to skip the eviction, it finds the file cached and marks its run invalid;
    a real cold run of the same file is valid; the summary uses only the valid one."""
    import torch
    shape = bench_formats.QUICK_SIZES["tiny"]
    torch.manual_seed(0)
    path = disk_folder / "model.pt"
    torch.save(bench_formats.build_model(shape).state_dict(), path)
    page_cache.read_all(path)
    unevicted = bench_formats.run_child("state_dict", "torch.load", path, shape, "cold-unevicted")
    assert unevicted["valid"] is False and unevicted["resident_pages"] == unevicted["pages"] > 0
    cold = bench_formats.run_child("state_dict", "torch.load", path, shape, "cold")
    assert cold["valid"] is True and cold["resident_pages"] == 0
    unevicted["ready_s"] = cold["ready_s"] + 1000.0  # so that using it would show in every statistic
    summary = bench_formats.summarise([unevicted, cold])
    assert (summary["valid_runs"], summary["invalid_runs"]) == (1, 1)
    assert summary["ready_s"] == {"min": cold["ready_s"], "median": cold["ready_s"], "max": cold["ready_s"]}
    assert bench_formats.summarise([unevicted])["ready_s"] is None


def test_a_refused_o_direct_is_reported_not_fatal(disk_folder, monkeypatch):
    path = _written_and_read(disk_folder, 1 << 20)
    real_open = os.open

    def refusing_open(file, flags, *args):
        if flags & os.O_DIRECT:
            raise OSError(errno.EINVAL, os.strerror(errno.EINVAL))
        return real_open(file, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    with pytest.raises(page_cache.DirectUnavailable):
        page_cache.read_all(path, direct=True)
    limit = bench_formats.disk_limit(path, runs=2)
    assert limit["direct"] == [] and "O_DIRECT" in limit["direct_unavailable"]
    assert len(limit["cold"]) == 2 and len(limit["warm"]) == 2 and limit["invalid"] == 0


def test_o_direct_reads_every_byte(disk_folder):
    path = disk_folder / "odd.bin"
    path.write_bytes(os.urandom(3 * page_cache.PAGE + 123))  # not a whole number of pages
    page_cache.evict(path)
    assert page_cache.read_all(path, direct=True) > 0
    assert page_cache.resident_pages(path)[0] == 0  # O_DIRECT went past the cache


def test_overlapping_ranges_are_grouped():
    r = lambda lo, mid, hi: {"min": lo, "median": mid, "max": hi}  # noqa: E731
    assert bench_formats.overlapping({"a": r(1, 1.5, 2), "b": r(1.5, 2, 3), "c": r(4, 4.5, 5)}) == [["a", "b"]]
    assert bench_formats.overlapping({"a": r(1, 1.5, 2), "b": r(1.9, 2, 3), "c": r(2.9, 3, 4)}) == [["a", "b", "c"]]
    assert bench_formats.overlapping({"a": r(1, 1, 1), "b": r(2, 2, 2)}) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_stored_benchmark_renders(lang):
    names = ["benchmark", "benchmark-claim", "benchmark-load", "benchmark-memory"]
    names += [f"benchmark-{size}" for size in bench_formats.SIZES]
    for name in names:
        assert bench_formats.render(name, lang).strip(), name
    assert "<?xml" not in bench_formats.render("benchmark-load", lang)
    stored = json.loads((bench_formats.OUT / "formats.json").read_text(encoding="utf-8"))
    assert list(stored["sizes"]) == list(bench_formats.SIZES)


@pytest.mark.slow
def test_benchmark_quick_mode(disk_folder):
    """The same code as the full benchmark, on a tiny model, once: every run cold or warm as it says, the three
    moments in order, the mapped loaders' memory counted as page cache, and both languages rendered."""
    result = bench_formats.measure(quick=True, folder=disk_folder, log=lambda _: None)
    assert list(result["sizes"]) == ["tiny"]
    busy = result["machine"]["load_average"]   # how busy the machine was, sampled before each load
    assert 0 <= busy["median"] <= busy["max"]
    for lang in LANGUAGES:
        assert f"{busy['max']:.1f}" in bench_formats.caption(result, lang), lang
    size = result["sizes"]["tiny"]
    assert set(size["formats"]) == set(bench_formats.VARIANTS)
    for fmt, entry in size["formats"].items():
        assert entry["bytes"] > 4 * size["parameters"] * 0.9, fmt  # float32 weights are all in the file
        limit = entry["limit"]
        assert len(limit["cold"]) == 1 and len(limit["warm"]) == 1 and limit["invalid"] == 0, fmt
        assert len(limit["direct"]) == 1 or limit["direct_unavailable"], fmt
        for variant, load in entry["loads"].items():
            for mode in bench_formats.MODES:
                (run,) = load[mode]["runs"]
                assert run["valid"], (fmt, variant, mode, run)
                expected = 0 if mode == "cold" else run["pages"]
                assert run["pages"] > 0 and run["resident_pages"] == expected, (fmt, variant, mode)
                assert 0 < run["open_s"] <= run["forward_s"] <= run["ready_s"], (fmt, variant, mode)
                assert 0 <= run["file_backed_bytes"] <= run["peak_bytes"], (fmt, variant, mode)
            if variant in bench_formats.MAPPED:
                assert load["cold"]["runs"][0]["file_backed_bytes"] > 0, (fmt, variant)
    written = bench_formats.write(result, disk_folder / "out")
    names = {path.name for path in written}
    for lang in LANGUAGES:
        assert {f"formats-{lang}.md", f"formats-tiny-{lang}.md", f"load-{lang}.svg", f"memory-{lang}.svg"} <= names
    for path in written:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".svg":
            assert text.startswith("<svg") and "currentColor" in text and "<?xml" not in text, path
    tiny_zh = (disk_folder / "out" / "formats-tiny-zh.md").read_text(encoding="utf-8")
    assert "safetensors" in tiny_zh and "读完所有权重" in tiny_zh
    assert bench_formats.claim(result, "zh") and bench_formats.claim(result, "en")

    # A variant all of whose runs were invalid shows as invalid, and the count of left-out runs is given.
    load = size["formats"]["onnx"]["loads"]["onnxruntime.InferenceSession"]
    for run in load["cold"]["runs"]:
        run["valid"] = False
    load["cold"] = bench_formats.summarise(load["cold"]["runs"])
    table = bench_formats.size_table(result, "tiny", "en")
    assert "invalid" in table and "Runs left out as invalid, their file not in the cache state they measure: 1." in table
