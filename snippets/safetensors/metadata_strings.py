import json

import torch
from safetensors import safe_open
from safetensors.torch import save_file

weights = {"w": torch.zeros(2, 2)}

# metadata is a str -> str mapping; anything else is refused
try:
    save_file(weights, "m.safetensors", metadata={"epoch": 3})
except TypeError as err:
    print("TypeError:", err)

# encode structured values yourself, e.g. as JSON text
config = {"dim": 8, "vocab": 50, "tied": True}
save_file(weights, "m.safetensors", metadata={"format": "pt", "config": json.dumps(config), "epoch": "3"})

with safe_open("m.safetensors", framework="pt") as f:
    meta = f.metadata()
for key in sorted(meta):  # sorted: the order in the header is not guaranteed
    print(f"{key} = {meta[key]!r}")
print("config back:", json.loads(meta["config"]))
print("epoch back:", int(meta["epoch"]))
