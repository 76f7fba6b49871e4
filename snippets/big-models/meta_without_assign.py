# Run after: save_model.py
import torch
import torch.nn as nn

with torch.device("meta"):
    layer = nn.Linear(512, 10)
state_dict = {k.removeprefix("layers.2."): v for k, v in torch.load("model.pt").items() if k.startswith("layers.2.")}

# Without assign=True, load_state_dict copies *into* the existing parameters; a meta tensor has no
# memory to copy into, so nothing happens (torch only warns).
print(layer.load_state_dict(state_dict))
print("weight device:", layer.weight.device)
