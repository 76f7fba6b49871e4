# Run after: dcp_save.py
"""Convert a distributed checkpoint to one torch.save file, and back."""
import os

import torch
from torch.distributed.checkpoint.format_utils import dcp_to_torch_save, torch_save_to_dcp

dcp_to_torch_save("checkpoint", "full.pt")
state = torch.load("full.pt")  # the default weights_only=True loads it: tensors and plain values only
print("full.pt:", list(state), "model keys:", list(state["model"]))
print("0.weight:", tuple(state["model"]["0.weight"].shape), "(whole again)")

torch_save_to_dcp("full.pt", "from_torch_save")
print("from_torch_save/:", sorted(os.listdir("from_torch_save")))
