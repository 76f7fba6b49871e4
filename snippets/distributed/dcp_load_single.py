# Run after: dcp_save.py
"""Load the checkpoint that two processes wrote into one ordinary process: DCP reshards on load."""
import json

import torch
import torch.distributed.checkpoint as dcp
import torch.nn as nn
from torch.distributed.checkpoint.state_dict import get_state_dict, set_state_dict

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))  # no FSDP, no process group
optimizer = torch.optim.AdamW(model.parameters(), lr=0.01)

# DCP loads in place: the state dict you pass says which tensors you want, in which shapes.
model_state, optimizer_state = get_state_dict(model, optimizer)
state = {"model": model_state, "optimizer": optimizer_state}
dcp.load(state, checkpoint_id="checkpoint")
set_state_dict(model, optimizer, model_state_dict=state["model"], optim_state_dict=state["optimizer"])

with torch.no_grad():
    out = [round(v, 6) for v in model(torch.ones(1, 8))[0].tolist()]
with open("expected.json") as f:
    print("same output as the two-process model:", out == json.load(f))
adam = optimizer.state_dict()["state"][0]
print("optimizer state restored: step", int(adam["step"]), "exp_avg", tuple(adam["exp_avg"].shape))
