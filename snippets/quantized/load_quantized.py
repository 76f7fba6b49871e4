# Run after: quantize_and_save.py
"""Load the int8 state_dict in a new process: torch.load's defaults accept torchao's tensor, once torchao is
imported."""
import json
import logging
import subprocess
import sys

logging.getLogger("torchao").setLevel(logging.ERROR)
logging.getLogger("torch.utils._pytree").setLevel(logging.ERROR)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

# A program that never imports torchao, run as a process of its own
WITHOUT_TORCHAO = """
import torch
print("globals the file needs:", torch.serialization.get_unsafe_globals_in_checkpoint("model_int8.pt"))
try:
    torch.load("model_int8.pt")
except Exception as error:
    print("before importing torchao:", type(error).__name__)
"""
fresh = subprocess.run([sys.executable, "-c", WITHOUT_TORCHAO], capture_output=True, text=True, check=True)
print(fresh.stdout, end="")

import torchao  # noqa: E402,F401  (registers its tensor subclasses with torch)

state = torch.load("model_int8.pt")  # the defaults (weights_only=True) now accept it
print("after importing torchao:", type(state["0.weight"]).__name__)

model = nn.Sequential(nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 16)).eval()
model.load_state_dict(state, assign=True)  # assign: keep the int8 tensors instead of copying into float ones
with open("expected.json") as f:
    expected = torch.tensor(json.load(f))
print("same outputs as before saving:", torch.allclose(model(torch.load("input.pt")), expected))
