"""Quantize a model's weights to int8 with torchao, and look at what its state_dict and files then hold."""
import json
import logging
import os

# torchao logs that its CUDA-only kernels cannot load on a CPU machine, and torch that torchao registers an Enum
# the old way: both harmless here (set before the imports that log)
logging.getLogger("torchao").setLevel(logging.ERROR)
logging.getLogger("torch.utils._pytree").setLevel(logging.ERROR)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from safetensors.torch import save_file  # noqa: E402
from torchao.quantization import Int8WeightOnlyConfig, quantize_  # noqa: E402

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 16)).eval()
x = torch.randn(4, 256)
torch.save(model.state_dict(), "model_float32.pt")
reference = model(x)

quantize_(model, Int8WeightOnlyConfig())  # replaces each Linear weight in place
state = model.state_dict()
for name, tensor in state.items():
    print(f"{name:<9} {type(tensor).__module__}.{type(tensor).__name__}")
print(f"largest output change: {(model(x) - reference).abs().max().item():.4f}")

torch.save(state, "model_int8.pt")
print(f"model_float32.pt {os.path.getsize('model_float32.pt'):,} bytes, "
      f"model_int8.pt {os.path.getsize('model_int8.pt'):,} bytes")
with open("expected.json", "w") as f:  # for the loading program
    json.dump(model(x).tolist(), f)
torch.save(x, "input.pt")

try:
    save_file(state, "model_int8.safetensors")
except Exception as error:
    print(f"safetensors save_file: {type(error).__name__}: {error}")
