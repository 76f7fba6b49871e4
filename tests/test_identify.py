"""identify() from snippets/identify/identify.py names every file the snippets write, names real model files
that ship inside installed packages, and gives a verdict (never a traceback) for damaged or hostile files."""
from __future__ import annotations

import random
import runpy
import shutil
import sysconfig
from pathlib import Path

import pytest

from tools.paths import SNIPPETS
from tools.snippets import discover

# The code the page shows, loaded as it is (run_path does not run its `if __name__ == "__main__"` part).
_IDENTIFY = runpy.run_path(str(SNIPPETS / "identify" / "identify.py"))
identify, Verdict, make_samples = _IDENTIFY["identify"], _IDENTIFY["Verdict"], _IDENTIFY["make_samples"]

# What a file's name promises, when the name alone leaves no doubt.
BY_SUFFIX = {".safetensors": "safetensors", ".onnx": "onnx", ".pt2": "torch-export", ".gguf": "gguf",
             ".pte": "executorch"}
# Files that snippets write wrong on purpose, to show the verdict for them: snippet -> file names.
DELIBERATE = {"identify/identify.py": {"renamed.onnx", "truncated.safetensors"}}

SITE = Path(sysconfig.get_paths()["purelib"])


def expected_kind(path: Path) -> str | None:
    if path.name.endswith(".index.json"):
        return "hf-index"
    return BY_SUFFIX.get(path.suffix)


def check(path: Path) -> Verdict:
    verdict = identify(path)
    assert isinstance(verdict, Verdict) and verdict.kind and verdict.detail, f"{path}: {verdict!r}"
    # identify() turns any failure after a matching start into "damaged"; a bug in identify() must not hide there.
    bug = ("TypeError", "AttributeError", "NameError", "UnboundLocalError", "ImportError", "RecursionError")
    assert not any(name in verdict.detail for name in bug), f"{path}: {verdict}"
    return verdict


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    """One file of each kind, written by the snippet's own make_samples()."""
    folder = tmp_path_factory.mktemp("samples")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        names = make_samples()
    return {name: folder / name for name in names}


def test_every_file_the_snippets_write(chains):
    import torch

    for snippet in discover():
        chains.run(snippet)
    # Files in the folder of a snippet that failed are still identified (no crash), but their kind is not checked.
    folders = chains.folders
    broken = {folders[s] for s, r in chains.results.items() if not r.ok and s in folders}
    deliberate = {folders[s] / name for s in chains.results if s.rel in DELIBERATE and s in folders
                  for name in DELIBERATE[s.rel]}
    files = sorted(p for p in chains.root.rglob("*") if p.is_file())
    assert files, "the snippets wrote no files at all"
    wrong = []
    for path in files:
        verdict = check(path)
        if any(folder in path.parents for folder in broken) or path in deliberate:
            continue
        expected = expected_kind(path)
        if expected and verdict.kind != expected:
            wrong.append(f"{path.relative_to(chains.root)}: expected {expected}, got {verdict}")
        if verdict.kind in ("torch-weights", "torch-legacy"):
            # The cross-check: what identify() calls plain tensors, torch's safe loader accepts.
            try:
                torch.load(path, weights_only=True)
            except Exception as error:
                wrong.append(f"{path.relative_to(chains.root)}: {verdict}, but weights_only=True fails: {error}")
    assert not wrong, "\n".join(wrong)


def test_each_sample_kind(samples):
    kinds = {name: (check(path).kind, identify(path).risk) for name, path in samples.items()}
    assert kinds == {
        "state_dict.pt": ("torch-weights", "ok"), "whole_model.pt": ("torch-pickled-objects", "danger"),
        "legacy.pt": ("torch-legacy", "ok"), "protocol4.pt": ("torch-pickled-objects", "danger"),
        "scripted.pt": ("torchscript", "danger"), "exported.pt2": ("torch-export", "ok"),
        "model.safetensors": ("safetensors", "ok"), "model.safetensors.index.json": ("hf-index", "ok"),
        "model.onnx": ("onnx", "ok"), "external.onnx": ("onnx", "ok"), "model.gguf": ("gguf", "ok"),
        "payload.pkl": ("dangerous-pickle", "danger"), "hidden.pt": ("dangerous-pickle", "danger"),
        "objects.npy": ("numpy-pickle", "danger"), "empty.bin": ("empty", "ok"), "random.bin": ("unknown", "ok"),
        "truncated.safetensors": ("damaged", "ok"), "renamed.onnx": ("torch-weights", "ok"),
        "missing.pt": ("missing", "unreadable"),
    }
    assert "the name says .onnx" in identify(samples["renamed.onnx"]).detail
    assert "present" in identify(samples["external.onnx"]).detail


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_weights_only_agrees_with_the_pickle_verdicts(samples):
    import pickle

    import torch

    torch.load(samples["state_dict.pt"], weights_only=True)
    for name in ("whole_model.pt", "payload.pkl", "protocol4.pt", "hidden.pt"):
        with pytest.raises(pickle.UnpicklingError):
            torch.load(samples[name], weights_only=True)


def test_truncated_copies(samples, tmp_path):
    for name, source in samples.items():
        if not source.exists():
            continue
        data = source.read_bytes()
        for n in sorted({1, 4, 8, 9, 16, 24, 32, 64, 100, len(data) // 2, len(data) - 1} - {len(data)}):
            if 0 < n < len(data):
                copy = tmp_path / f"{n}-{name}"
                copy.write_bytes(data[:n])
                check(copy)


def test_byte_flipped_copies(samples, tmp_path):
    rng = random.Random(0)
    for name, source in samples.items():
        if not source.exists():
            continue
        data = source.read_bytes()
        if not data:
            continue
        for trial in range(12):
            damaged = bytearray(data)
            for position in rng.sample(range(len(data)), k=min(len(data), 1 + trial % 4)):
                damaged[position] ^= 0xFF
            copy = tmp_path / f"{trial}-{name}"
            copy.write_bytes(bytes(damaged))
            check(copy)


def test_hostile_starts(tmp_path):
    """Random bytes behind every magic number identify() looks for."""
    rng = random.Random(1)
    starts = [b"", b"PK\x03\x04", b"\x80\x02", b"\x80\x05", b"\x80\x02\x8a\x0a", b"GGUF", b"\x08", b"{",
              b"\x00\x00\x00\x00ET12", b"\x10\x00\x00\x00\x00\x00\x00\x00{", b'{"weight_map": ']
    for i, start in enumerate(starts):
        for size in (0, 1, 7, 30, 300):
            path = tmp_path / f"hostile-{i}-{size}.bin"
            path.write_bytes(start + rng.randbytes(size))
            check(path)


def test_identify_never_runs_the_pickle(tmp_path):
    import os
    import pickle

    import torch

    marker = tmp_path / "it-ran"

    class Payload:
        def __reduce__(self):
            return os.system, (f"touch {marker}",)

    torch.save({"model": Payload()}, tmp_path / "payload.pt")
    (tmp_path / "payload.pkl").write_bytes(pickle.dumps(Payload(), protocol=5))
    for name in ("payload.pt", "payload.pkl"):
        assert identify(tmp_path / name).kind == "dangerous-pickle"
    assert not marker.exists()


def test_onnx_with_missing_external_data(samples, tmp_path):
    shutil.copy(samples["external.onnx"], tmp_path / "external.onnx")  # without external.onnx.data
    verdict = identify(tmp_path / "external.onnx")
    assert verdict.kind == "onnx" and "MISSING" in verdict.detail


def test_executorch_header(tmp_path):
    # The first 32 bytes of a .pte that executorch 1.5.1 wrote for nn.Linear(3, 2): root offset, the
    # flatbuffer file identifier ET12, then the extended header "eh00". The rest is padding here.
    head = bytes.fromhex("3c000000" "45543132" "65683030" "20000000" "c004000000000000" "0005000000000000")
    (tmp_path / "model.pte").write_bytes(head + bytes(200))
    assert identify(tmp_path / "model.pte").kind == "executorch"


def test_other_containers(tmp_path):
    """The formats identify() knows only by their documented layout: flatbuffer ids, HDF5, folders."""
    (tmp_path / "model.tflite").write_bytes(b"\x1c\x00\x00\x00TFL3" + bytes(100))
    (tmp_path / "model.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(100))
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "saved_model.pb").write_bytes(b"")
    (tmp_path / "m.mlpackage" / "Data" / "com.apple.CoreML").mkdir(parents=True)
    (tmp_path / "m.mlpackage" / "Manifest.json").write_text("{}")
    kinds = {name: identify(tmp_path / name).kind for name in ("model.tflite", "model.h5", "saved", "m.mlpackage")}
    assert kinds == {"model.tflite": "tflite", "model.h5": "hdf5", "saved": "tf-savedmodel",
                     "m.mlpackage": "coreml-package"}
    assert identify(tmp_path).kind == "directory"


def test_real_model_files_from_installed_packages():
    onnx_models = sorted((SITE / "onnx" / "backend" / "test" / "data").rglob("model.onnx"))
    assert len(onnx_models) >= 5, "the onnx package ships test models; where did they go?"
    for path in onnx_models[::max(1, len(onnx_models) // 6)]:
        verdict = check(path)
        assert verdict.kind == "onnx", f"{path.relative_to(SITE)}: {verdict}"
    scripted = SITE / "torch" / "bin" / "test_interpreter_async.pt"
    if scripted.exists():
        assert check(scripted).kind == "torchscript"
