"""identify.py on hostile paths and files: every one answered in seconds, with one line and no traceback,
within a fixed memory budget; and the command line's exit status (0 nothing dangerous, 1 something
dangerous, 2 something unreadable)."""
from __future__ import annotations

import os
import pickle
import runpy
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from tools.paths import SNIPPETS

SCRIPT = SNIPPETS / "identify" / "identify.py"
_IDENTIFY = runpy.run_path(str(SCRIPT))
identify = _IDENTIFY["identify"]
GiB = 2**30


def cli(*paths, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *paths], capture_output=True, timeout=timeout, **kwargs)


def deflate_bomb(prefix: bytes, size: int) -> bytes:
    """A raw deflate stream of `prefix` then zeros up to `size` bytes, built in milliseconds: after a full
    flush the compressor starts afresh, so the compressed form of every further MiB of zeros is the same."""
    mib = bytes(2**20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix + mib[len(prefix):]) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    return head + block * (size // 2**20 - 1) + c.flush()


def zip_with(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A zip written by hand: (name, stored bytes, method, uncompressed size, crc) per member."""
    body, central = b"", b""
    for name, data, method, size, crc in members:
        encoded = name.encode()
        header = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0, crc, len(data),
                             min(size, 0xFFFFFFFF), len(encoded), 0)
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, method, 0, 0, crc, len(data),
                               min(size, 0xFFFFFFFF), len(encoded), 0, 0, 0, 0, 0, len(body)) + encoded
        body += header + encoded + data
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(body), 0)
    path.write_bytes(body + central + end)
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    files: dict[str, Path] = {}

    def add(name: str, data: bytes | None = None) -> Path:
        files[name] = folder / name
        if data is not None:
            files[name].write_bytes(data)
        return files[name]

    os.mkfifo(add("fifo.pt"))
    os.symlink("/dev/zero", add("zero.pt"))
    os.symlink(folder / "loop-b.pt", add("loop-a.pt"))
    os.symlink(folder / "loop-a.pt", folder / "loop-b.pt")
    add("folder.pt").mkdir()
    add("missing.pt")
    with open(add("huge-brace.json"), "wb") as f:  # 2 GB, sparse: costs nothing on disk
        f.write(b'{"weight_map": ')
        f.truncate(2 * GiB)
    with open(add("huge-binbytes8.pkl"), "wb") as f:  # a pickle that claims a 2**62-byte argument
        f.write(b"\x80\x04\x8e" + struct.pack("<Q", 2**62))
        f.truncate(2 * GiB)
    add("frame-2-63.pkl", b"\x80\x04\x95" + struct.pack("<Q", 2**63 - 1) + b"N.")
    add("marks.pkl", b"(" * 3_000_000 + b".")
    bomb = deflate_bomb(b"\x80\x02\x8e" + struct.pack("<Q", GiB) , GiB)
    add("bomb-data.pkl.pt")
    zip_with(files["bomb-data.pkl.pt"], [("archive/data.pkl", bomb, 8, GiB, 0), ("archive/version", b"3\n", 0, 2, 0)])
    add("bomb-archive-format.pt2")
    zip_with(files["bomb-archive-format.pt2"], [("m/archive_format", deflate_bomb(b"pt2", GiB), 8, GiB, 0)])
    add("safetensors-huge-header.safetensors", struct.pack("<Q", 99_999_999) + b'{"a": 1}')
    add("safetensors-2-63.safetensors", struct.pack("<Q", 2**63 - 1) + b'{"a": 1}')
    add("npy-huge-header.npy", b"\x93NUMPY\x02\x00" + struct.pack("<I", 0xFFFFFFFF) + b"{")
    add("gguf-absurd.gguf", b"GGUF" + struct.pack("<IQQ", 3, 2**63, 2**63))
    add("zip-absurd-directory.pt", b"PK\x03\x04" + bytes(100) + struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, 65535, 65535, 0xFFFFFFF0, 0xFFFFFFF0, 0))
    add("onnx-absurd-length.onnx", b"\x08\x07\x3a\xff\xff\xff\xff\x0f")
    add("model-\udcff.pt", b"")  # a name that is not UTF-8 (byte 0xff)
    add("ok.safetensors", struct.pack("<Q", 2) + b"{}")
    return files


def test_each_path_one_line_no_traceback(hostile):
    """All of them in one command line: one line each, in order, quickly, no traceback."""
    names = [str(p) for p in hostile.values()]
    started = time.monotonic()
    run = cli(*names, timeout=120)
    elapsed = time.monotonic() - started
    out = run.stdout.decode("utf-8", "replace").splitlines()
    assert b"Traceback" not in run.stderr, run.stderr.decode(errors="replace")[-3000:]
    assert len(out) == len(names), "\n".join(out)
    for name, line in zip(names, out):
        assert line.startswith(os.fsencode(name).decode("utf-8", "backslashreplace") + ": "), line
    assert elapsed < 60, f"{elapsed:.1f} s for {len(names)} hostile paths"
    assert run.returncode == 1  # some of them are dangerous (the bomb cannot be checked), some unreadable
    print("\n".join(out))


@pytest.mark.parametrize("name, kind, risk", [
    ("fifo.pt", "not-a-file", "unreadable"), ("zero.pt", "not-a-file", "unreadable"),
    ("loop-a.pt", "symlink-loop", "unreadable"), ("folder.pt", "directory", "unreadable"),
    ("missing.pt", "missing", "unreadable"), ("huge-brace.json", "unknown", "ok"),
    ("huge-binbytes8.pkl", "damaged", "ok"), ("frame-2-63.pkl", "pickle", "ok"),
    ("bomb-data.pkl.pt", "unverified", "danger"), ("bomb-archive-format.pt2", "torch-export", "ok"),
    ("safetensors-huge-header.safetensors", "damaged", "ok"), ("gguf-absurd.gguf", "damaged", "ok"),
    ("zip-absurd-directory.pt", "damaged", "danger"), ("npy-huge-header.npy", "unverified", "danger"),
    ("marks.pkl", "unverified", "danger"), ("onnx-absurd-length.onnx", "damaged", "ok"),
])
def test_bounded_verdicts(hostile, name, kind, risk):
    """Each verdict, and the time and Python memory it took: at most the read budget, in seconds."""
    measure = name != "marks.pkl"  # tracemalloc would make its million small allocations slow
    if measure:
        tracemalloc.start()
    started = time.monotonic()
    verdict = identify(hostile[name])
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1] if measure else 0
    tracemalloc.stop()
    assert (verdict.kind, verdict.risk) == (kind, risk), str(verdict)
    assert elapsed < 20, f"{name}: {elapsed:.1f} s"  # 5 s budget; tracemalloc slows the scan a few times
    assert peak < 200 * 2**20, f"{name}: {peak / 2**20:.0f} MB"


def test_permission_denied():
    """root reads any file whatever its mode, so when the tests run as root the check runs in a forked child
    that has become the unprivileged user 'nobody': a real EACCES from the kernel, not a simulated one."""
    folder = Path("/tmp") / f"identify-perm-{os.getpid()}"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    secret = folder / "secret.pt"
    secret.write_bytes(b"PK\x03\x04")
    secret.chmod(0)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            verdict = identify(secret)
            os.write(write, f"{verdict.kind}|{verdict.risk}|{verdict.detail}".encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    answer = os.read(read, 4096).decode()
    os.close(read)
    secret.unlink()
    folder.rmdir()
    assert answer.startswith("no-permission|unreadable|permission denied"), answer


def test_exit_status_and_non_utf8_name(tmp_path, capsys):
    import torch

    main = _IDENTIFY["main"]
    good = tmp_path / "good-\udcff.pt"  # the file name holds the byte 0xff: not UTF-8
    torch.save({"w": torch.zeros(2)}, good)
    bad = tmp_path / "bad.pkl"
    bad.write_bytes(b"\x80\x02cos\nsystem\nX\x04\x00\x00\x00true\x85R.")
    missing = str(tmp_path / "missing.pt")
    assert [main([str(good)]), main([str(good), missing]), main([str(good), str(bad), missing])] == [0, 2, 1]
    capsys.readouterr()
    # The same through the command line, once: the status a CI job sees, and a printable line for the name.
    run = cli(os.fsencode(good), str(bad), missing)
    assert run.returncode == 1, run  # something dangerous outweighs something unreadable
    lines = run.stdout.decode().splitlines()
    assert lines[0].startswith(f"{tmp_path}/good-\\xff.pt: [ok] torch-weights"), lines
    assert lines[1].startswith(f"{bad}: [DANGER] dangerous-pickle") and "[UNREADABLE] missing" in lines[2], lines


def test_demo_runs_twice_in_the_same_folder(tmp_path, monkeypatch, capsys):
    """The page's demo writes its files into the current folder; a second run must overwrite them cleanly
    (onnx refuses to overwrite an external data file, which the demo once tripped over)."""
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        names = _IDENTIFY["make_samples"]()
        assert _IDENTIFY["main"](names) == 1
    assert "external.onnx: [ok] onnx" in capsys.readouterr().out
