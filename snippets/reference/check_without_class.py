"""In a new process where the class Net is NOT defined: load each file the way its format is loaded, and see
what comes back: something that runs, a mapping of tensors, or an error that asks for the class."""
# Run after: save_every_format.py
import json
import logging
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)  # TorchScript's deprecation notice
# ExecuTorch imports torchao, which logs that its CUDA-only kernels cannot load on this CPU machine and registers
# an Enum the way torch 2.13 deprecates (set before the imports that log it)
logging.getLogger("torchao").setLevel(logging.ERROR)
logging.getLogger("torch.utils._pytree").setLevel(logging.ERROR)

import onnxruntime
import torch
from executorch.runtime import Method, Runtime
from gguf import GGUFReader
from safetensors.torch import load_file

reference = torch.load("reference.pt")
x, y = reference["x"], reference["y"]

# --8<-- [start:load]
loaders = {
    "state_dict": lambda: torch.load("model_state_dict.pt"),
    "whole_model": lambda: torch.load("model_whole.pt", weights_only=False),
    "checkpoint": lambda: torch.load("checkpoint.pt"),
    "torchscript": lambda: torch.jit.load("model_scripted.pt"),
    "onnx": lambda: onnxruntime.InferenceSession("model.onnx"),
    "safetensors": lambda: load_file("model.safetensors"),
    "export_pt2": lambda: torch.export.load("model.pt2").module(),
    "gguf": lambda: GGUFReader("model.gguf"),
    "executorch": lambda: Runtime.get().load_program("model.pte").load_method("forward"),
}
# --8<-- [end:load]


def run(loaded):
    """The model's output for x, if what was loaded is a model that runs on its own."""
    if isinstance(loaded, onnxruntime.InferenceSession):
        return torch.from_numpy(loaded.run(None, {loaded.get_inputs()[0].name: x.numpy()})[0])
    if isinstance(loaded, Method):
        return loaded.execute([x])[0]
    if callable(loaded) and not isinstance(loaded, GGUFReader):
        return loaded(x)
    return None


found = {}
for fmt, load in loaders.items():
    try:
        loaded = load()
    except AttributeError as error:  # pickle stored a reference to __main__.Net, not its code
        print(f"{fmt}: {error}")
        found[fmt] = {"stores": "class_reference", "needs_class": True}
        continue
    output = run(loaded)
    if output is not None and torch.allclose(output, y, atol=1e-5):
        found[fmt] = {"stores": "graph", "needs_class": False}
    else:
        print(f"{fmt}: got {type(loaded).__name__}, not a model: build Net, then load the weights into it")
        found[fmt] = {"stores": "weights", "needs_class": True}
print(json.dumps(found, indent=1))
