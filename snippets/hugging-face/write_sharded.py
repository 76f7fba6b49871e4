import json
import os

import torch
import torch.nn as nn
from safetensors.torch import save_file


class TinyLM(nn.Module):
    def __init__(self, vocab_size=256, hidden_size=32, num_layers=3):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList(nn.Linear(hidden_size, hidden_size) for _ in range(num_layers))
        self.head = nn.Linear(hidden_size, vocab_size, bias=False)


def split_by_bytes(state_dict, max_shard_bytes):
    """Fill shards in key order; start a new one when the next tensor would not fit."""
    shards, current, size = [], {}, 0
    for name, tensor in state_dict.items():
        nbytes = tensor.numel() * tensor.element_size()
        if current and size + nbytes > max_shard_bytes:
            shards.append(current)
            current, size = {}, 0
        current[name] = tensor
        size += nbytes
    shards.append(current)
    return shards


torch.manual_seed(0)
state = TinyLM().state_dict()
shards = split_by_bytes(state, max_shard_bytes=40_000)

os.makedirs("tiny-lm", exist_ok=True)
with open("tiny-lm/config.json", "w") as f:
    json.dump({"architectures": ["TinyLM"], "model_type": "tiny-lm", "vocab_size": 256, "hidden_size": 32, "num_layers": 3}, f)
weight_map = {}
for i, shard in enumerate(shards, start=1):
    filename = f"model-{i:05d}-of-{len(shards):05d}.safetensors"
    save_file(shard, os.path.join("tiny-lm", filename), metadata={"format": "pt"})
    weight_map.update({name: filename for name in shard})

index = {
    "metadata": {"total_size": sum(t.numel() * t.element_size() for t in state.values())},
    "weight_map": weight_map,
}
with open("tiny-lm/model.safetensors.index.json", "w") as f:
    json.dump(index, f, indent=2)

for name in sorted(os.listdir("tiny-lm")):
    print(f"{name:35} {os.path.getsize(os.path.join('tiny-lm', name)):>6} bytes")
print(open("tiny-lm/model.safetensors.index.json").read())
