import json
import os

import torch
import torch.nn as nn


class TinyLM(nn.Module):
    def __init__(self, vocab_size=256, hidden_size=32, num_layers=3):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList(nn.Linear(hidden_size, hidden_size) for _ in range(num_layers))
        self.head = nn.Linear(hidden_size, vocab_size, bias=False)


torch.manual_seed(0)
state = TinyLM().state_dict()
names = list(state)
halves = [names[: len(names) // 2], names[len(names) // 2 :]]

# same idea as the safetensors index, but each shard is a torch.save (pickle) file
os.makedirs("old-lm", exist_ok=True)
weight_map = {}
for i, keys in enumerate(halves, start=1):
    filename = f"pytorch_model-{i:05d}-of-{len(halves):05d}.bin"
    torch.save({k: state[k] for k in keys}, f"old-lm/{filename}")
    weight_map.update({k: filename for k in keys})
index = {"metadata": {"total_size": sum(t.nbytes for t in state.values())}, "weight_map": weight_map}
with open("old-lm/pytorch_model.bin.index.json", "w") as f:
    json.dump(index, f, indent=2)
print(sorted(os.listdir("old-lm")))

# loading reads the same index; each shard goes through torch.load (weights_only keeps it safe)
loaded = {}
for filename in sorted(set(index["weight_map"].values())):
    loaded.update(torch.load(f"old-lm/{filename}", map_location="cpu", weights_only=True))
print("every key equal:", loaded.keys() == state.keys() and all(torch.equal(state[k], loaded[k]) for k in state))
