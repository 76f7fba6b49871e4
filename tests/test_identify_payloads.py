"""Live payloads against the identifier (snippets/identify/identify.py).

Every file below is built to run a harmless command (it creates a marker file) when a real loader opens it.
Each is opened by the real loaders in throwaway processes: the test first proves that the payload is live
(its marker appears under at least one loader), then that identify() calls every such file dangerous. The
reverse direction is checked too: a file identify() says torch.load accepts with its defaults is loaded
with torch.load's defaults, and loads."""
from __future__ import annotations

import io
import json
import os
import pickle
import runpy
import struct
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tools.paths import SNIPPETS

_IDENTIFY = runpy.run_path(str(SNIPPETS / "identify" / "identify.py"))
identify, scan_pickle = _IDENTIFY["identify"], _IDENTIFY["scan_pickle"]


# ---------------------------------------------------------------------------------------------- loaders
LOADERS = {
    "pickle.load": "import pickle; pickle.load(open(path, 'rb'))",
    "torch.load(weights_only=False)": "torch.load(path, weights_only=False)",
    "torch.load": "torch.load(path)",
    "torch.jit.load": "torch.jit.load(path)",
    "torch.export.load": "torch.export.load(path)",
    "numpy.load(allow_pickle=True)": ("r = numpy.load(path, allow_pickle=True)\n"
                                      "[r[k] for k in r.files] if hasattr(r, 'files') else r"),
    "numpy.load": ("r = numpy.load(path)\n"
                   "[r[k] for k in r.files] if hasattr(r, 'files') else r"),
    "joblib.load": "joblib.load(path)",
    "onnx.load": "onnx.load(path)",
    "onnxruntime": "onnxruntime.InferenceSession(path)",
    "safetensors": "from safetensors import safe_open\n"
                   "with safe_open(path, 'np') as f: [f.get_tensor(k) for k in f.keys()]",
    "gguf": "gguf.GGUFReader(path)",
}

_HELPER = r'''
import json, os, signal, sys, tempfile, warnings, logging
warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)
import numpy, joblib, onnx, onnxruntime, gguf, torch
onnxruntime.set_default_logger_severity(4)
loaders = json.loads(sys.argv[1])
results = []
for job in json.loads(sys.stdin.read()):
    folder = tempfile.mkdtemp()
    if job["marker"] and os.path.exists(job["marker"]):
        os.remove(job["marker"])  # each load starts without the marker a previous loader may have left
    pid = os.fork()
    if pid == 0:
        os.chdir(folder)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1); os.dup2(null, 2)
        signal.alarm(90)  # generous: the machine running the tests may be busy
        try:
            exec(loaders[job["loader"]], {"path": job["path"], "torch": torch, "numpy": numpy, "joblib": joblib,
                                          "onnx": onnx, "onnxruntime": onnxruntime, "gguf": gguf})
        except BaseException as error:
            with open(os.path.join(folder, "error.txt"), "w") as f:
                f.write(f"{type(error).__name__}: {error}"[:2000])
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    error = os.path.join(folder, "error.txt")
    results.append({"loaded": os.waitstatus_to_exitcode(status) == 0,
                    "ran": bool(job.get("marker")) and os.path.exists(job["marker"]),
                    "error": open(error).read() if os.path.exists(error) else ""})
print(json.dumps(results))
'''


def run_loaders(jobs: list[tuple[str, Path, Path | None]]) -> list[dict]:
    """jobs: (loader name, file, marker the payload would create). Returns {"loaded", "ran"} per job."""
    for _, _, marker in jobs:
        if marker is not None and marker.exists():
            marker.unlink()
    payload = json.dumps([{"loader": loader, "path": str(path), "marker": str(marker) if marker else ""}
                          for loader, path, marker in jobs])
    done = subprocess.run([sys.executable, "-c", _HELPER, json.dumps(LOADERS)], input=payload, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------- pickles by hand
def u(text: str) -> bytes:
    """BINUNICODE: a str argument."""
    data = text.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def g(module: str, name: str) -> bytes:
    """GLOBAL: import module.name (protocols 0-3 write imports this way)."""
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def short(text: str) -> bytes:
    """SHORT_BINUNICODE (protocol 4)."""
    return b"\x8c" + bytes([len(text)]) + text.encode()


class Touch:
    """The payload torch.save, numpy and joblib write for us: os.system('touch <marker>') on load."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def hand_pickles(m: Path) -> dict[str, bytes]:
    """Pickles that run `touch m`, each through another door."""
    cmd = f"touch {m}"
    code = f"__import__('os').system('touch {m}')"
    inner = b"\x80\x02" + g("os", "system") + u(cmd) + b"\x85R."
    return {
        "os.system, protocol 2": b"\x80\x02" + g("os", "system") + u(cmd) + b"\x85R.",
        "posix.system, protocol 0, no PROTO": g("posix", "system") + b"(S'" + cmd.encode() + b"'\ntR.",
        "subprocess via STACK_GLOBAL, no PROTO": short("subprocess") + short("getoutput") + b"\x93" + u(cmd)
                                                  + b"\x85R.",
        "builtins.eval": g("builtins", "eval") + b"(" + u(code) + b"tR.",
        "__builtin__.exec under protocol 2": b"\x80\x02" + g("__builtin__", "exec") + u(code) + b"\x85R.",
        "__builtin__.eval without PROTO": g("__builtin__", "eval") + b"(" + u(code) + b"tR.",
        "getattr(__import__('os'), 'system')": g("builtins", "getattr") + b"(" + g("builtins", "__import__")
                                               + b"(" + u("os") + b"tR" + u("system") + b"tR(" + u(cmd) + b"tR.",
        "torch._utils._import_dotted_name": g("torch._utils", "_import_dotted_name") + b"(" + u("os.system")
                                            + b"tR(" + u(cmd) + b"tR.",
        "functools.partial": g("functools", "partial") + b"(" + g("os", "system") + u(cmd) + b"tR)R.",
        "operator.methodcaller": g("operator", "methodcaller") + b"(" + u("system") + u(cmd) + b"tR("
                                 + g("builtins", "__import__") + b"(" + u("os") + b"tRtR.",
        "operator.attrgetter": g("operator", "attrgetter") + b"(" + u("system") + b"tR(" + g("builtins", "__import__")
                               + b"(" + u("os") + b"tRtR(" + u(cmd) + b"tR.",
        "INST (protocol 0)": b"(S'" + cmd.encode() + b"'\nios\nsystem\n.",
        "OBJ (protocol 1)": b"(" + g("os", "system") + b"S'" + cmd.encode() + b"'\no.",
        "NEWOBJ_EX building a partial": b"\x80\x04" + g("functools", "partial") + b"(" + g("os", "system") + u(cmd)
                                        + b"t}\x92)R.",
        "BUILD calling a planted __setstate__": b"\x80\x02" + g("types", "SimpleNamespace") + b")\x81N}"
                                               + u("__setstate__") + g("os", "system") + b"s\x86b" + u(cmd) + b"b.",
        "memo slot overwritten (torch -> os)": b"\x80\x04" + short("torch") + b"q\x000" + short("os") + b"q\x000"
                                               + short("system") + b"q\x010h\x00h\x01\x93" + u(cmd) + b"\x85R.",
        "MEMOIZE index after a high PUT": b"\x80\x04" + short("torch") + b"\x940" + short("os") + b"q\x050"
                                          + short("system") + b"\x940h\x05h\x02\x93" + u(cmd) + b"\x85R.",
        "module name computed by _codecs.encode (rot13)": g("_codecs", "encode") + b"(" + u("bf") + u("rot13")
                                                         + b"tR" + g("_codecs", "encode") + b"(" + u("flfgrz")
                                                         + u("rot13") + b"tR\x93(" + u(cmd) + b"tR.",
        "escaped STRING and UNICODE names": b"S'o\\x73'\nVsy\\u0073tem\n\x93(S'" + cmd.encode() + b"'\ntR.",
        "DUP and POP_MARK maze": b"(((" + short("os") + b"2" + b"1" + b"1" + b"1" + short("os") + short("system")
                                 + b"\x93" + u(cmd) + b"\x85R.",
        "nested pickle through _pickle.loads": g("_pickle", "loads") + b"(B" + struct.pack("<I", len(inner))
                                               + inner + b"tR.",
        "protocol 5 with FRAME": pickle.dumps(Touch(m), protocol=5),
        "after 20000 harmless opcodes": b"\x80\x02" + b"N0" * 20000 + g("os", "system") + u(cmd) + b"\x85R.",
    }


# ---------------------------------------------------------------------------------------------- the corpus
@dataclass
class Case:
    name: str
    path: Path
    marker: Path | None
    loaders: tuple[str, ...]
    live: bool = True  # must run under at least one of its loaders (False: must be flagged, may not run)


PLAIN = ("pickle.load", "torch.load(weights_only=False)", "numpy.load(allow_pickle=True)", "joblib.load",
         "torch.load")
TORCH = ("torch.load(weights_only=False)", "torch.load")


def rewrite_zip(source: Path, target: Path, change) -> None:
    """Copy a zip member by member; change(name, data) returns a list of (name, data) to write instead."""
    import warnings

    with zipfile.ZipFile(source) as old, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of some cases
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as new:
            for info in old.infolist():
                for name, data, *method in change(info.filename, old.read(info.filename)):
                    new.writestr(zipfile.ZipInfo(name), data, *method)


def split_pickles(data: bytes, count: int) -> list[bytes]:
    """The first `count` pickles of a stream and the rest, using our own legitimate file only."""
    import pickletools

    stream, parts, start = io.BytesIO(data), [], 0
    for _ in range(count):
        for _ in pickletools.genops(stream):  # decodes opcodes up to STOP, runs nothing
            pass
        parts.append(data[start:stream.tell()])
        start = stream.tell()
    return parts + [data[start:]]


def build_corpus(folder: Path) -> list[Case]:
    import tarfile
    import warnings

    import joblib
    import numpy as np
    import torch

    cases: list[Case] = []

    def marker(name: str) -> Path:
        return folder / "markers" / name.replace(" ", "_").replace("/", "_")

    (folder / "markers").mkdir()

    def add(name: str, data: bytes | None, loaders, suffix=".bin", live=True, path=None) -> Path:
        path = path or folder / (f"{len(cases):02d}{suffix}")
        if data is not None:
            path.write_bytes(data)
        cases.append(Case(name, path, marker(str(len(cases))), tuple(loaders), live))
        return path

    # Plain pickles: every way in we know of.
    for name in hand_pickles(folder):
        m = marker(str(len(cases)))
        add(name, hand_pickles(m)[name], PLAIN)
    m = marker(str(len(cases)))
    add("a pickle named model.safetensors", hand_pickles(m)["os.system, protocol 2"], ("pickle.load",),
        suffix=".safetensors")

    torch.manual_seed(0)
    weights = torch.nn.Linear(3, 2).state_dict()
    good = folder / "good.pt"
    torch.save(weights, good)

    # torch.save zips with the payload inside, at every protocol torch.save writes.
    for protocol in (2, 3, 4, 5):
        m = marker(str(len(cases)))
        path = folder / f"{len(cases):02d}.pt"
        torch.save({"weights": weights, "x": Touch(m)}, path, pickle_protocol=protocol)
        add(f"torch.save zip, protocol {protocol}", None, TORCH, path=path)
    # Legacy torch.save (five pickles in a row) with the payload in the object, at protocols 2-5 ...
    for protocol in (2, 3, 4, 5):
        m = marker(str(len(cases)))
        path = folder / f"{len(cases):02d}.pt"
        torch.save({"weights": weights, "x": Touch(m)}, path, pickle_protocol=protocol,
                   _use_new_zipfile_serialization=False)
        add(f"legacy torch.save, protocol {protocol}", None, TORCH, path=path)
    # ... and in each of the other four pickles of the legacy layout.
    legacy = folder / "good-legacy.pt"
    torch.save(weights, legacy, _use_new_zipfile_serialization=False)
    for index, role in enumerate(["magic number", "protocol version", "system info", "object", "storage keys"]):
        if role == "object":
            continue
        m = marker(str(len(cases)))
        parts = split_pickles(legacy.read_bytes(), 5)
        parts[index] = pickle.dumps(Touch(m), protocol=2)
        add(f"legacy torch.save, payload as the {role}", b"".join(parts), TORCH, suffix=".pt")

    # Zip tricks: the member torch reads is not the one Python's zipfile reads, or not where one looks.
    payload_pkl = lambda m: pickle.dumps({"x": Touch(m)}, protocol=2)  # noqa: E731
    m = marker(str(len(cases)))
    rewrite_zip(good, folder / f"{len(cases):02d}.pt",
                lambda n, d: [(n, payload_pkl(m)), (n, d)] if n.endswith("/data.pkl") else [(n, d)])
    # Which of two equal names torch 2.13 reads is decided by miniz's search over the sorted names, not by
    # their order: here it read the second one. The identifier flags any duplicate, so either way is covered.
    add("duplicate data.pkl (payload first)", None, TORCH, path=folder / f"{len(cases):02d}.pt", live=False)
    m = marker(str(len(cases)))
    rewrite_zip(good, folder / f"{len(cases):02d}.pt",
                lambda n, d: [(n, d), (n, payload_pkl(m))] if n.endswith("/data.pkl") else [(n, d)])
    add("duplicate data.pkl (payload second)", None, TORCH, path=folder / f"{len(cases):02d}.pt")
    m = marker(str(len(cases)))
    rewrite_zip(good, folder / f"{len(cases):02d}.pt",
                lambda n, d: [(n.replace("data.pkl", "DATA.PKL"), payload_pkl(m)), (n, d)]
                if n.endswith("/data.pkl") else [(n, d)])
    add("data.pkl and DATA.PKL", None, TORCH, path=folder / f"{len(cases):02d}.pt", live=False)
    m = marker(str(len(cases)))
    first = [True]

    def other_prefix(n, d):
        extra = [("evil/data.pkl", payload_pkl(m)), ("evil/version", b"3\n")] if first[0] else []
        first[0] = False
        return extra + [(n, d)]

    rewrite_zip(good, folder / f"{len(cases):02d}.pt", other_prefix)
    # torch's reader refuses members outside the first member's folder, so this one never loads in torch 2.13;
    # a reader that looks for "<file name>/data.pkl" would read the harmless one.
    add("data.pkl under another first folder", None, TORCH, path=folder / f"{len(cases):02d}.pt", live=False)
    m = marker(str(len(cases)))
    rewrite_zip(good, folder / f"{len(cases):02d}.pt",
                lambda n, d: [(n, d)] + ([("elsewhere/extra.pkl", payload_pkl(m))] if n.endswith("version") else []))
    add("payload .pkl in a folder torch does not read", None, TORCH, path=folder / f"{len(cases):02d}.pt",
        live=False)
    m = marker(str(len(cases)))
    rewrite_zip(good, folder / f"{len(cases):02d}.pt",
                lambda n, d: [(n, payload_pkl(m), zipfile.ZIP_DEFLATED)] if n.endswith("/data.pkl") else [(n, d)])
    add("deflate-compressed data.pkl", None, TORCH, path=folder / f"{len(cases):02d}.pt")
    m = marker(str(len(cases)))
    rewrite_zip(good, folder / f"{len(cases):02d}.pt",
                lambda n, d: [(n, b"(S'touch " + str(m).encode() + b"'\nios\nsystem\n.")]
                if n.endswith("/data.pkl") else [(n, d)])
    add("INST in data.pkl", None, TORCH, path=folder / f"{len(cases):02d}.pt")

    # The 2017 tar layout: torch.load(weights_only=False) unpickles its "storages" member first.
    m = marker(str(len(cases)))
    path = folder / f"{len(cases):02d}.pt"
    with tarfile.open(path, "w:", format=tarfile.PAX_FORMAT) as tar:
        for name, data in (("storages", pickle.dumps(Touch(m), protocol=2)), ("tensors", pickle.dumps(0)),
                           ("pickle", pickle.dumps({}))):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    add("legacy tar layout", None, TORCH, path=path)

    # torch.export: the sample inputs are a torch.save zip that torch.export.load unpickles.
    m = marker(str(len(cases)))
    exported = folder / "good.pt2"
    torch.export.save(torch.export.export(torch.nn.Linear(3, 2), (torch.randn(1, 3),)), exported)
    inputs = io.BytesIO()
    torch.save(((Touch(m),), {}), inputs)
    rewrite_zip(exported, folder / f"{len(cases):02d}.pt2",
                lambda n, d: [(n, inputs.getvalue())] if n.endswith("sample_inputs/model.pt") else [(n, d)])
    add(".pt2 with a payload as sample inputs", None, ("torch.export.load",), path=folder / f"{len(cases):02d}.pt2")

    m = marker(str(len(cases)))
    inputs = io.BytesIO()
    torch.save(((Touch(m),), {}), inputs, _use_new_zipfile_serialization=False)
    rewrite_zip(exported, folder / f"{len(cases):02d}.pt2",
                lambda n, d: [(n, inputs.getvalue())] if n.endswith("sample_inputs/model.pt") else [(n, d)])
    add(".pt2 with legacy torch.save sample inputs", None, ("torch.export.load",),
        path=folder / f"{len(cases):02d}.pt2")

    # NumPy object arrays and joblib files are pickles too.
    m = marker(str(len(cases)))
    header = b"{'descr': 'object', 'fortran_order': False, 'shape': (1,), }"
    header += b" " * (63 - (10 + len(header)) % 64) + b"\n"
    add(".npy whose dtype is spelled 'object'", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header
        + pickle.dumps([Touch(m)], protocol=2), ("numpy.load(allow_pickle=True)",), suffix=".npy")
    m = marker(str(len(cases)))
    path = folder / f"{len(cases):02d}.npy"
    np.save(path, np.array([Touch(m)], dtype=object), allow_pickle=True)
    add(".npy object array", None, ("numpy.load(allow_pickle=True)",), path=path)
    for compressed in (False, True):
        m = marker(str(len(cases)))
        path = folder / f"{len(cases):02d}.npz"
        (np.savez_compressed if compressed else np.savez)(path, a=np.arange(3), b=np.array([Touch(m)], dtype=object))
        add(f".npz object array{' (compressed)' if compressed else ''}", None, ("numpy.load(allow_pickle=True)",),
            path=path)
    for compress in (0, 3, ("gzip", 3), ("bz2", 3), ("xz", 3), ("lzma", 3)):
        m = marker(str(len(cases)))
        path = folder / f"{len(cases):02d}.joblib"
        joblib.dump([np.arange(5.0), Touch(m)], path, compress=compress)
        add(f"joblib, compress={compress}", None, ("joblib.load",), path=path)

    # Not live in a plain process, but nothing a reader should load either.
    add("EXT1 (copyreg extension registry)", b"\x80\x02\x82\x01" + u("x") + b"\x85R.", PLAIN, live=False)
    add("a tar that is not a torch file", None, TORCH, live=False, path=_tar(folder / "plain.tar"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.jit.save(torch.jit.script(torch.nn.Linear(3, 2)), folder / "scripted.pt")
    add("TorchScript (runs its own code in torch.jit.load)", None, ("torch.jit.load",), live=False,
        path=folder / "scripted.pt")
    return cases


def _tar(path: Path) -> Path:
    import tarfile

    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("readme.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Case]:
    return build_corpus(tmp_path_factory.mktemp("payloads"))


@pytest.fixture(scope="module")
def loaded(corpus) -> dict[tuple[str, str], dict]:
    """Every case under every one of its loaders, each load in a throwaway process."""
    jobs = [(loader, case.path, case.marker) for case in corpus for loader in case.loaders]
    return {(str(path), loader): result for (loader, path, _), result in zip(jobs, run_loaders(jobs))}


def test_every_payload_is_live(corpus, loaded):
    """Proof that the corpus is real: each payload runs its command under at least one real loader."""
    report, dead = [], []
    for case in corpus:
        ran = [loader for loader in case.loaders if loaded[(str(case.path), loader)]["ran"]]
        report.append(f"{case.name}: ran under {', '.join(ran) or 'nothing'}")
        if case.live and not ran:
            dead.append(case.name)
    print("\n".join(report))
    assert not dead, f"payloads that never ran (the corpus is broken): {dead}"


def test_identify_flags_every_payload(corpus, loaded):
    """Every payload file, live or not, is called dangerous, and none is said to load with the defaults."""
    wrong = []
    for case in corpus:
        verdict = identify(case.path)
        if verdict.risk != "danger" or verdict.kind in ("torch-weights", "torch-legacy"):
            ran = [loader for loader in case.loaders if loaded[(str(case.path), loader)]["ran"]]
            wrong.append(f"{case.name} (runs under {ran}): {verdict}")
    assert not wrong, "\n".join(wrong)


def test_torch_load_defaults_run_none_of_them(corpus, loaded):
    """torch's own promise, measured: weights_only=True runs none of these payloads."""
    ran = [case.name for case in corpus if "torch.load" in case.loaders and loaded[(str(case.path), "torch.load")]["ran"]]
    assert not ran, ran


# ---------------------------------------------------------------------------------------------- the allowlist
def test_embedded_allowlist_is_torchs():
    """The copy identify.py carries for machines without torch is exactly the installed torch's."""
    import inspect
    import re

    import torch._utils
    import torch._weights_only_unpickler as wo

    live = {name: "class" if isinstance(value, type) else "function" if callable(value) else "value"
            for name, value in wo._get_allowed_globals().items()}
    assert _IDENTIFY["TORCH_2_13_ALLOWED"] == live
    assert _IDENTIFY["TORCH_2_13_BLOCKED_MODULES"] == set(wo._blocklisted_modules)
    assert _IDENTIFY["TORCH_RENAMED_MODULES"] == torch._utils.IMPORT_MAPPING
    assert _IDENTIFY["TORCH_RENAMED_NAMES"] == torch._utils.NAME_MAPPING
    # The opcodes torch's unpickler handles, read from its source: `key[0] == GLOBAL[0]` and the like.
    source = inspect.getsource(wo.Unpickler.load)
    handled = {getattr(pickle, name)[0] for name in re.findall(r"\b([A-Z][A-Z0-9_]+)\[0\]", source)}
    assert _IDENTIFY["TORCH_OPCODES"] == handled


def test_same_verdicts_without_torch_numpy_onnx(corpus, benign, monkeypatch):
    """The core must work where none of torch, numpy, onnx can be imported (a browser, a CI image)."""
    for blocked in ("torch", "numpy", "onnx", "google.protobuf"):
        monkeypatch.setitem(sys.modules, blocked, None)  # `import torch` now raises ImportError
    bare = runpy.run_path(str(SNIPPETS / "identify" / "identify.py"))
    monkeypatch.undo()
    assert "copied" in bare["ALLOWED_SOURCE"]
    differ = []
    for path in [case.path for case in corpus] + list(benign):
        ours, theirs = identify(path), bare["identify"](path)
        if (ours.kind, ours.risk) != (theirs.kind, theirs.risk):
            differ.append(f"{path.name}: {ours} / {theirs}")
    assert not differ, "\n".join(differ)


# ---------------------------------------------------------------------------------------------- the reverse
def benign_objects():
    import collections
    import warnings

    import torch

    warnings.filterwarnings("ignore", "Sparse CSR|torch.quantize_per_tensor", UserWarning)

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    optimizer = torch.optim.Adam(model.parameters())
    model(torch.randn(5, 3)).sum().backward()
    optimizer.step()
    base = torch.arange(12.0)
    return {
        "state_dict": model.state_dict(),
        "checkpoint": {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 3, "loss": 0.25,
                       "name": "run-1", "flags": [True, False, None], "shape": (2, 3)},
        "numbers": {"big": 2**80, "negative": -(2**40), "small": -5, "float": 1.5e-300, "complex": 1 + 2j},
        "containers": {"set": {1, 2}, "bytes": b"\x00\xff", "bytearray": bytearray(b"ab"), "tuple": (1, (2, 3)),
                       "ordered": collections.OrderedDict(a=1), "counter": collections.Counter("aab"),
                       "ints": {1: "one", 2: "two"}},
        "torch values": {"size": torch.Size([2, 3]), "dtype": torch.bfloat16, "device": torch.device("cpu"),
                         "layout": torch.sparse_coo},
        "tensors": {"bf16": torch.ones(3, dtype=torch.bfloat16), "f8": torch.zeros(2, dtype=torch.float8_e4m3fn),
                    "bool": torch.tensor([True]), "empty": torch.empty(0), "grad": torch.ones(2, requires_grad=True),
                    "parameter": torch.nn.Parameter(torch.ones(2)), "int64": torch.tensor([2**40])},
        "views": {"base": base, "view": base[2:8].view(2, 3), "strided": base[::3], "t": base.view(3, 4).t()},
        "sparse": {"coo": torch.eye(3).to_sparse(), "csr": torch.eye(3).to_sparse_csr()},
        "quantized": {"q": torch.quantize_per_tensor(torch.ones(4), 0.1, 0, torch.quint8)},
        "long string": {"text": "x" * 100_000},
        "plain list": [1, 2, 3],
        "none": None,
    }


@pytest.fixture(scope="module")
def benign(tmp_path_factory) -> list[Path]:
    """torch.save files of ordinary objects, in every layout and protocol torch.save writes."""
    import torch

    folder = tmp_path_factory.mktemp("benign")
    files = []
    for number, (name, obj) in enumerate(benign_objects().items()):
        for protocol in (2, 3, 4, 5):
            for zipped in (True, False):
                path = folder / f"{number:02d}-{'zip' if zipped else 'legacy'}-p{protocol}.pt"
                torch.save(obj, path, pickle_protocol=protocol, _use_new_zipfile_serialization=zipped)
                files.append(path)
    return files


def mutants(folder: Path, base: Path, count: int, seed: int) -> list[Path]:
    """Copies of a torch.save zip whose data.pkl is mutated (flips, swapped names, inserted opcodes,
    cuts), re-zipped with correct checksums so that only the pickle differs."""
    import random

    rng = random.Random(seed)
    names = [b"collections\nOrderedDict", b"torch._utils\n_rebuild_tensor_v2", b"torch\nFloatStorage",
             b"builtins\nset", b"torch._utils\n_rebuild_parameter", b"torch\nSize", b"_codecs\nencode",
             b"torch\nTensor", b"torch.nn.parameter\nParameter", b"torch\ndevice", b"collections\nCounter",
             b"torch._tensor\n_rebuild_from_type_v2", b"torch\nfloat32", b"builtins\nbytearray"]
    opcodes = [bytes([c]) for c in b"(tN0\x85\x86\x87)]}\x8fRb\x81seu2hq\x88\x89"]
    with zipfile.ZipFile(base) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    pkl = next(n for n in members if n.endswith("data.pkl"))
    out = []
    for i in range(count):
        data = bytearray(members[pkl])
        how = rng.choice(["flip", "name", "insert", "cut", "delete"])
        at = rng.randrange(len(data))
        if how == "flip":
            data[at] = rng.randrange(256)
        elif how == "name":
            start = data.find(b"c", rng.randrange(len(data)))
            end = data.find(b"\n", data.find(b"\n", start + 1) + 1)
            if start >= 0 and end > start:
                data[start + 1:end] = rng.choice(names)
        elif how == "insert":
            data[at:at] = rng.choice(opcodes)
        elif how == "cut":
            del data[at:]
        else:
            del data[at:at + rng.randrange(1, 4)]
        path = folder / f"mutant-{seed}-{i:03d}.pt"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as new:
            for name, content in members.items():
                new.writestr(name, bytes(data) if name == pkl else content)
        out.append(path)
    return out


def test_what_identify_calls_loadable_loads_and_the_reverse(benign, tmp_path):
    """Never more permissive: every file identify() says torch.load accepts with its defaults is loaded with
    torch.load's defaults in a throwaway process, and loads. The benign files go the other way too: each one
    torch.load's defaults load is called harmless (no false alarm on ordinary checkpoints)."""
    import torch

    bases = [p for p in benign if "-zip-p2" in p.name]
    fuzz = [m for i, base in enumerate(bases) for m in mutants(tmp_path, base, 25, i)]
    files = list(benign) + fuzz
    verdicts = {path: identify(path) for path in files}
    results = run_loaders([("torch.load", path, None) for path in files])
    too_permissive, false_alarms, damaged = [], [], []
    for path, result in zip(files, results):
        verdict = verdicts[path]
        if verdict.kind in ("torch-weights", "torch-legacy") and not result["loaded"]:
            # torch.load refuses what it deems unsafe with an UnpicklingError ("Weights only load failed").
            # A mutant can also pass every one of those checks and still fail inside a tensor-rebuilding
            # function (wrong arguments, a storage too small): damaged, not refused, and nothing ran.
            error = result["error"]
            if error.startswith("UnpicklingError") or "Weights only load failed" in error:
                too_permissive.append(f"{path.name}: {verdict}\n    torch.load: {error[:300]}")
            else:
                damaged.append(error.split(":")[0])
        if path in benign and result["loaded"] and verdict.risk != "ok":
            false_alarms.append(f"{path.name}: {verdict}")
    said_ok = sum(verdicts[p].kind in ("torch-weights", "torch-legacy") for p in fuzz)
    print(f"\n{len(fuzz)} mutants, {said_ok} called loadable, of which {len(damaged)} fail later inside torch "
          f"({', '.join(sorted(set(damaged)))}); {len(benign)} benign files")
    assert not too_permissive, "\n".join(too_permissive)
    assert not false_alarms, "\n".join(false_alarms)
    assert said_ok > 10  # the fuzz must reach the interesting side, not only break files
