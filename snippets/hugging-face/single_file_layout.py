import json
import os

import torch
import torch.nn as nn
from safetensors.torch import load_file, save_file


class TinyLM(nn.Module):
    def __init__(self, vocab_size, hidden_size, num_layers):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList(nn.Linear(hidden_size, hidden_size) for _ in range(num_layers))
        self.head = nn.Linear(hidden_size, vocab_size, bias=False)


config = {"architectures": ["TinyLM"], "model_type": "tiny-lm", "vocab_size": 256, "hidden_size": 32, "num_layers": 3}
torch.manual_seed(0)
model = TinyLM(config["vocab_size"], config["hidden_size"], config["num_layers"])

# one folder = one model: the architecture's settings in config.json, the tensors beside it
os.makedirs("tiny-lm", exist_ok=True)
with open("tiny-lm/config.json", "w") as f:
    json.dump(config, f, indent=2)
save_file(model.state_dict(), "tiny-lm/model.safetensors", metadata={"format": "pt"})
torch.save(model.state_dict(), "tiny-lm/pytorch_model.bin")  # the older, pickle-based name

for name in sorted(os.listdir("tiny-lm")):
    print(f"{name:20} {os.path.getsize(os.path.join('tiny-lm', name)):>7} bytes")

# loading: config.json tells you what to build, the weights file fills it
with open("tiny-lm/config.json") as f:
    cfg = json.load(f)
fresh = TinyLM(cfg["vocab_size"], cfg["hidden_size"], cfg["num_layers"])
print(fresh.load_state_dict(load_file("tiny-lm/model.safetensors")))
old = torch.load("tiny-lm/pytorch_model.bin", weights_only=True)
print("bin and safetensors hold the same tensors:", all(torch.equal(old[k], v) for k, v in fresh.state_dict().items()))
