"""Tell what a model file is from its bytes, without loading it.

identify(path) reads magic bytes, zip member names, pickle opcodes, JSON headers and ONNX protobuf
fields. It never unpickles, imports or runs anything from the file, so it is safe on a file you do
not trust. Run as a script, it writes a few sample files into the current folder and names each one.
"""
from __future__ import annotations

import json
import pickletools
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path


# --8<-- [start:verdict]
@dataclass(frozen=True)
class Verdict:
    kind: str    # short and stable, for code: "safetensors", "torch-weights", "unknown", ...
    detail: str  # one sentence for a person

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


# What each suffix promises; identify() says so when the bytes disagree.
SUFFIX_KINDS = {
    ".safetensors": {"safetensors"},
    ".onnx": {"onnx"},
    ".gguf": {"gguf"},
    ".pt2": {"torch-export"},
    ".pte": {"executorch"},
    ".pt": {"torch-weights", "torch-pickled-objects", "torchscript", "torch-legacy"},
    ".pth": {"torch-weights", "torch-pickled-objects", "torchscript", "torch-legacy"},
}
# --8<-- [end:verdict]


# --8<-- [start:identify]
def identify(path: str | Path) -> Verdict:
    """Name the format of a model file by reading it, never by loading it."""
    path = Path(path)
    if path.is_dir():
        return _directory(path)
    size = path.stat().st_size
    with path.open("rb") as file:
        head = file.read(64)
    try:
        verdict = _by_content(path, head, size)
    except Exception as error:
        # The start matched a format but the rest does not hold together (truncated, flipped bytes, ...).
        # Damage shows up in many ways: zipfile alone raises half a dozen exception types.
        reason = f"{type(error).__name__}: {error}"
        verdict = Verdict("damaged", f"looks like {_looks_like(head)} but is broken ({reason})")
    expected = SUFFIX_KINDS.get(path.suffix.lower())
    if expected and verdict.kind not in expected and verdict.kind not in ("damaged", "dangerous-pickle"):
        verdict = Verdict(verdict.kind, f"{verdict.detail} (the name says {path.suffix}, the bytes do not)")
    return verdict


def _by_content(path: Path, head: bytes, size: int) -> Verdict:
    if size == 0:
        return Verdict("empty", "0 bytes: an interrupted download or save?")
    if head.startswith(b"PK\x03\x04"):                       # torch.save, torch.jit.save, torch.export.save
        return _zip_archive(path)
    if head.startswith(b"\x80\x02\x8a\x0a" + TORCH_LEGACY_MAGIC):
        return _legacy_torch(path)
    if head.startswith(b"GGUF"):
        return _gguf(head)
    if re.fullmatch(rb"ET[0-9A-Za-z]{2}", head[4:8]):        # flatbuffer file identifier, bytes 4-7
        return Verdict("executorch", f"an ExecuTorch program (.pte, schema {head[4:8].decode()}); "
                                     "runs in the ExecuTorch runtime, not in torch")
    if head[4:8] == b"TFL3":                                 # the same trick, TensorFlow Lite's identifier
        return Verdict("tflite", "a TensorFlow Lite / LiteRT flatbuffer (.tflite)")
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return Verdict("hdf5", "an HDF5 file: Keras .h5 / .weights.h5 files use this container")
    if _looks_like_safetensors(head, size):
        return _safetensors(path, head, size)
    if head.lstrip()[:1] == b"{":
        return _json_file(path)
    if head[:1] == b"\x08":                                  # protobuf field 1 (ir_version) comes first
        return _onnx(path)
    if head[:1] == b"\x80" and 2 <= head[1] <= 5:            # PROTO opcode: a plain pickle
        return _as(_pickle_verdict(path.read_bytes(), "a plain pickle (not torch.save)"), "pickle")
    return Verdict("unknown", f"no known model format starts with {head[:8].hex(' ')}")
# --8<-- [end:identify]


# --8<-- [start:pickle]
TORCH_LEGACY_MAGIC = (0x1950A86A20F9469CFC6C).to_bytes(10, "little")  # torch.serialization.MAGIC_NUMBER

# Globals a tensor checkpoint needs: containers, storages, dtypes and torch's rebuild helpers.
DATA_MODULES = {"torch", "torch._utils", "torch._tensor"}
DATA_GLOBALS = {"collections.OrderedDict", "builtins.set", "__builtin__.set"}
# Callables that let a pickle run commands or code while it is being loaded.
CODE_MODULES = {"os", "posix", "nt", "subprocess", "runpy", "socket", "shutil", "webbrowser"}
CODE_GLOBALS = {f"{m}.{n}" for m in ("builtins", "__builtin__") for n in ("eval", "exec", "compile", "__import__")}
CODE_GLOBALS |= {"io.open", "_io.open", "builtins.open"}  # writes files: pickle knows open() as io.open


def _pickle_globals(data) -> list[str]:
    """The classes and functions a pickle would import, read from its opcodes without running it."""
    found, strings, memo, last = [], [], {}, None
    for opcode, arg, _ in pickletools.genops(data):
        if isinstance(arg, str) and ("UNICODE" in opcode.name or "STRING" in opcode.name):
            last = arg
            strings.append(arg)
        elif opcode.name in ("PUT", "BINPUT", "LONG_BINPUT"):
            memo[arg] = last
        elif opcode.name == "MEMOIZE":
            memo[len(memo)] = last
        elif opcode.name in ("GET", "BINGET", "LONG_BINGET"):
            last = memo.get(arg)
            strings.append(last)
        elif opcode.name == "GLOBAL":                 # protocols 0-3: "module name" in the opcode
            found.append(arg.replace(" ", "."))
        elif opcode.name == "STACK_GLOBAL":           # protocol 4+: module and name pushed just before
            found.append(f"{strings[-2]}.{strings[-1]}")
        else:
            last = None
    return sorted(set(found))


def _pickle_verdict(data, where: str, tensors: int | None = None) -> Verdict:
    names = _pickle_globals(data)
    code = [n for n in names if n in CODE_GLOBALS or n.split(".")[0] in CODE_MODULES]
    if code:
        return Verdict("dangerous-pickle", f"{where} that calls {', '.join(code)} when loaded: do not load it")
    classes = [n for n in names if n not in DATA_GLOBALS and n.rpartition(".")[0] not in DATA_MODULES]
    count = f", {_n(tensors, 'tensor storage')}" if tensors is not None else ""
    if not classes:
        return Verdict("torch-weights",
                       f"{where} of tensors in plain containers (a state_dict or checkpoint dict){count}")
    return Verdict("torch-pickled-objects", f"{where} of pickled Python objects (a whole model?): "
                                            f"needs {', '.join(classes)} to load, and weights_only=False")
# --8<-- [end:pickle]


# --8<-- [start:zip]
def _zip_archive(path: Path) -> Verdict:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()

        def member(name: str) -> str | None:  # torch puts every member under "<archive name>/"
            return next((n for n in names if n == name or n.endswith("/" + name)), None)

        if member("archive_format"):
            fmt = archive.read(member("archive_format")).decode("ascii", "replace").strip()
            return Verdict("torch-export", f"a torch.export archive (archive_format {fmt!r}): "
                                           "a graph plus weights, load with torch.export.load")
        if member("constants.pkl") and any("/code/" in n or n.startswith("code/") for n in names):
            return Verdict("torchscript", "a TorchScript archive (code/ and constants.pkl): load with torch.jit.load")
        if member("config.json") and member("model.weights.h5"):
            return Verdict("keras", "a Keras 3 .keras archive (config.json plus model.weights.h5)")
        if member("data.pkl"):
            storages = sum(1 for n in names if re.search(r"(^|/)data/\d+$", n))
            return _pickle_verdict(archive.read(member("data.pkl")), "a torch.save zip", storages)
        return Verdict("zip", f"a zip archive with {len(names)} members, none of them a PyTorch one")


def _legacy_torch(path: Path) -> Verdict:
    # Before PyTorch 1.6: four pickles in a row (magic number, protocol version, system info, the
    # object itself), then the raw tensor bytes.
    with path.open("rb") as file:
        for _ in range(3):
            for _ in pickletools.genops(file):
                pass
        return _as(_pickle_verdict(file, "a legacy (pre-1.6) torch.save file"), "torch-legacy")


def _as(verdict: Verdict, kind: str) -> Verdict:
    """The same verdict under another kind, unless it is a warning."""
    return verdict if verdict.kind == "dangerous-pickle" else Verdict(kind, verdict.detail)
# --8<-- [end:zip]


# --8<-- [start:headers]
def _looks_like_safetensors(head: bytes, size: int) -> bool:
    # 8-byte little-endian header length, then a JSON object.
    return len(head) > 9 and head[8:9] == b"{" and struct.unpack("<Q", head[:8])[0] < 100_000_000


def _safetensors(path: Path, head: bytes, size: int) -> Verdict:
    (length,) = struct.unpack("<Q", head[:8])
    if 8 + length > size:
        raise ValueError(f"the header claims {length} bytes, the file has {size - 8} after the length")
    with path.open("rb") as file:
        file.seek(8)
        header = json.loads(file.read(length))
    metadata = header.pop("__metadata__", None) or {}
    end = max((t["data_offsets"][1] for t in header.values()), default=0)
    if 8 + length + end != size:
        raise ValueError(f"the header describes {end} bytes of tensor data, the file holds {size - 8 - length}")
    dtypes = ", ".join(sorted({t["dtype"] for t in header.values()})) or "none"
    keys = ", ".join(sorted(metadata)) or "none"
    return Verdict("safetensors", f"{_n(len(header), 'tensor')} ({dtypes}), metadata keys: {keys}")


def _gguf(head: bytes) -> Verdict:
    version, tensors, keys = struct.unpack("<IQQ", head[4:24])
    return Verdict("gguf", f"GGUF version {version}: {_n(tensors, 'tensor')}, {_n(keys, 'metadata key')} "
                           "(llama.cpp and friends)")


def _json_file(path: Path) -> Verdict:
    index = json.loads(path.read_text(encoding="utf-8"))
    if not (isinstance(index, dict) and isinstance(index.get("weight_map"), dict)):
        return Verdict("unknown", "a JSON file, but not a weight index (no weight_map)")
    shards = sorted(set(index["weight_map"].values()))
    missing = [s for s in shards if not (path.parent / s).exists()]
    state = f"missing: {', '.join(missing)}" if missing else "all present"
    return Verdict("hf-index", f"an index, not weights: {_n(len(index['weight_map']), 'tensor')} in "
                               f"{_n(len(shards), 'shard file')} ({state})")


def _onnx(path: Path) -> Verdict:
    import onnx  # parses the protobuf only; load_external_data=False leaves the weight files alone
    from google.protobuf.message import DecodeError

    try:
        model = onnx.load(path, load_external_data=False)
    except DecodeError as error:
        raise ValueError(f"the protobuf does not parse: {error}") from None
    if not (1 <= model.ir_version <= 20 and model.opset_import and model.graph.node):
        return Verdict("unknown", "starts like a protobuf, but not like an ONNX model")
    opset = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    external = sorted({str(e.value) for t in model.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL
                       for e in t.external_data if e.key == "location"})
    if external:
        found = ", ".join(f"{f} ({'present' if (path.parent / f).exists() else 'MISSING'})" for f in external)
        weights = f"weights in {found}"
    else:
        weights = "weights inside the file"
    return Verdict("onnx", f"ONNX ir_version {model.ir_version}, opset {opset}, {_n(len(model.graph.node), 'node')}, "
                           f"{_n(len(model.graph.initializer), 'initializer')}, {weights}")


def _directory(path: Path) -> Verdict:
    if (path / "saved_model.pb").exists():
        return Verdict("tf-savedmodel", "a TensorFlow SavedModel directory (saved_model.pb, variables/)")
    if (path / "Manifest.json").exists() and (path / "Data" / "com.apple.CoreML").is_dir():
        return Verdict("coreml-package", "a Core ML .mlpackage directory")
    return Verdict("directory", "a folder, not a file: identify the files inside it one by one")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _looks_like(head: bytes) -> str:
    for start, name in ((b"PK", "a zip archive"), (b"\x80", "a pickle"), (b"GGUF", "GGUF"), (b"\x08", "ONNX")):
        if head.startswith(start):
            return name
    return "safetensors" if head[8:9] == b"{" else "JSON" if head[:1] == b"{" else "a model file"
# --8<-- [end:headers]


# --8<-- [start:demo]
def make_samples() -> list[str]:
    """Write one small file of each kind into the current folder; return their names."""
    import os
    import pickle
    import shutil
    import warnings

    import gguf
    import numpy as np
    import onnx
    import torch
    from onnx import TensorProto, helper, numpy_helper
    from safetensors.torch import save_file

    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2)
    torch.save(model.state_dict(), "state_dict.pt")
    torch.save(model, "whole_model.pt")
    torch.save(model.state_dict(), "legacy.pt", _use_new_zipfile_serialization=False)
    with warnings.catch_warnings():          # TorchScript is deprecated; we only need one such file
        warnings.simplefilter("ignore")
        torch.jit.save(torch.jit.script(model), "scripted.pt")
    torch.export.save(torch.export.export(model, (torch.randn(1, 3),)), "exported.pt2")
    save_file(model.state_dict(), "model.safetensors")
    with open("model.safetensors.index.json", "w") as f:
        json.dump({"weight_map": {"weight": "model-00001-of-00002.safetensors",
                                  "bias": "model-00002-of-00002.safetensors"}}, f)

    # A tiny ONNX graph y = x @ W + b, saved once with its weights inside, once beside it.
    weights = [numpy_helper.from_array(model.weight.detach().numpy().T.copy(), "W"),
               numpy_helper.from_array(model.bias.detach().numpy(), "b")]
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "W"], ["xW"]),
                               helper.make_node("Add", ["xW", "b"], ["y"])], "linear",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])], weights)
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    onnx.save(onnx_model, "model.onnx")
    onnx.save(onnx_model, "external.onnx", save_as_external_data=True, location="external.onnx.data",
              size_threshold=0)

    writer = gguf.GGUFWriter("model.gguf", arch="demo")
    writer.add_name("tiny linear")
    for name, tensor in model.state_dict().items():
        writer.add_tensor(name, tensor.numpy())
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()

    class Payload:                               # the classic malicious pickle; never loaded here
        def __reduce__(self):
            return os.system, ("echo this would run on load",)

    with open("payload.pkl", "wb") as f:
        pickle.dump(Payload(), f)
    open("empty.bin", "wb").close()
    with open("random.bin", "wb") as f:
        f.write(np.random.default_rng(0).bytes(256))
    with open("model.safetensors", "rb") as src, open("truncated.safetensors", "wb") as dst:
        dst.write(src.read(60))
    shutil.copy("state_dict.pt", "renamed.onnx")
    return ["state_dict.pt", "whole_model.pt", "legacy.pt", "scripted.pt", "exported.pt2", "model.safetensors",
            "model.safetensors.index.json", "model.onnx", "external.onnx", "model.gguf", "payload.pkl",
            "empty.bin", "random.bin", "truncated.safetensors", "renamed.onnx"]


if __name__ == "__main__":
    for name in make_samples():
        print(f"{name}\n    {identify(name)}")
# --8<-- [end:demo]
