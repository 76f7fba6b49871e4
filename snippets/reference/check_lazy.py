"""Is loading lazy (memory-mapped)? Open each file, THEN overwrite the first layer's weights in the file on disk,
then read them through what was loaded. An eager loader has already copied the old values into memory; a lazy
(memory-mapped) one reads the file when asked, and sees the new ones."""
# Run after: save_every_format.py
import json
import logging
import shutil
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", category=DeprecationWarning)  # TorchScript's deprecation notice
# ExecuTorch imports torchao, which logs that its CUDA-only kernels cannot load on this CPU machine and registers
# an Enum the way torch 2.13 deprecates (set before the imports that log it)
logging.getLogger("torchao").setLevel(logging.ERROR)
logging.getLogger("torch.utils._pytree").setLevel(logging.ERROR)

import numpy as np
import onnxruntime
import torch
import torch.nn as nn
from executorch.runtime import Runtime
from gguf import GGUFReader
from safetensors import safe_open
from safetensors.torch import load_file

reference = torch.load("reference.pt")
x, y, weight = reference["x"], reference["y"], reference["fc1_weight"]


class Net(nn.Module):  # loading a whole pickled model needs its class (see check_without_class.py)
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 16)
        self.fc2 = nn.Linear(16, 3)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


def overwrite_weight(path):
    """Replace the first layer's weights, found byte for byte in the file, with zeros (same size, in place)."""
    data = Path(path).read_bytes()
    at = data.find(weight.numpy().tobytes())
    assert at >= 0 and data.count(weight.numpy().tobytes()) == 1, f"{path}: weights not found exactly once"
    with open(path, "r+b") as f:
        f.seek(at)
        f.write(bytes(weight.numel() * 4))


def onnx_weight(session):
    """ONNX Runtime does not hand out its weights: zeroed first-layer weights would change the output."""
    out = session.run(None, {session.get_inputs()[0].name: x.numpy()})[0]
    return weight if np.allclose(out, y.numpy(), atol=1e-5) else torch.zeros_like(weight)


def executorch_weight(program):
    """Nor does ExecuTorch: load the method from the opened program now, run it, and compare as for ONNX."""
    out = program.load_method("forward").execute([x])[0]
    return weight if torch.allclose(out, y, atol=1e-5) else torch.zeros_like(weight)


def gguf_weight(reader):
    return torch.from_numpy(np.array(next(t for t in reader.tensors if t.name == "fc1.weight").data))


# format -> (file, {way of opening: (open, read the first layer's weight from what was opened)})
ways = {
    "state_dict": ("model_state_dict.pt", {
        "torch.load": (lambda p: torch.load(p), lambda sd: sd["fc1.weight"]),
        "torch.load(mmap=True)": (lambda p: torch.load(p, mmap=True), lambda sd: sd["fc1.weight"])}),
    "whole_model": ("model_whole.pt", {
        "torch.load": (lambda p: torch.load(p, weights_only=False), lambda m: m.fc1.weight),
        "torch.load(mmap=True)": (lambda p: torch.load(p, weights_only=False, mmap=True), lambda m: m.fc1.weight)}),
    "checkpoint": ("checkpoint.pt", {
        "torch.load": (lambda p: torch.load(p), lambda c: c["model_state_dict"]["fc1.weight"]),
        "torch.load(mmap=True)": (lambda p: torch.load(p, mmap=True), lambda c: c["model_state_dict"]["fc1.weight"])}),
    "torchscript": ("model_scripted.pt", {
        "torch.jit.load": (lambda p: torch.jit.load(p), lambda m: m.fc1.weight)}),
    "onnx": ("model.onnx", {
        "onnxruntime.InferenceSession": (lambda p: onnxruntime.InferenceSession(p), onnx_weight)}),
    "safetensors": ("model.safetensors", {
        "load_file": (lambda p: load_file(p), lambda sd: sd["fc1.weight"]),
        "safe_open": (lambda p: safe_open(p, "pt"), lambda f: f.get_tensor("fc1.weight"))}),
    "export_pt2": ("model.pt2", {
        "torch.export.load": (lambda p: torch.export.load(p), lambda ep: ep.state_dict["fc1.weight"])}),
    "gguf": ("model.gguf", {
        "GGUFReader": (lambda p: GGUFReader(p), gguf_weight)}),
    "executorch": ("model.pte", {
        "Runtime.load_program": (lambda p: Runtime.get().load_program(p), executorch_weight)}),
}

found = {}
for fmt, (name, by_way) in ways.items():
    lazy = {}
    for way, (open_, read) in by_way.items():
        path = Path("lazy") / way / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(name, path)  # a fresh copy each time: the original stays intact for the other checks
        opened = open_(str(path))
        overwrite_weight(path)
        lazy[way] = bool((read(opened) == 0).all())
    print(f"{fmt}: " + ", ".join(f"{way} {'reads the file later' if v else 'copied it'}" for way, v in lazy.items()))
    first = next(iter(lazy.values()))
    found[fmt] = {"lazy": "default" if first else ("option" if any(lazy.values()) else "no"),
                  "how": [way for way, v in lazy.items() if v]}
print(json.dumps(found, indent=1))
