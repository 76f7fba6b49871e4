# Run after: write_sharded.py
import json
from collections import defaultdict

import torch
import torch.nn as nn
from safetensors import safe_open
from safetensors.torch import load_file


class TinyLM(nn.Module):
    def __init__(self, vocab_size=256, hidden_size=32, num_layers=3):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList(nn.Linear(hidden_size, hidden_size) for _ in range(num_layers))
        self.head = nn.Linear(hidden_size, vocab_size, bias=False)


with open("tiny-lm/model.safetensors.index.json") as f:
    index = json.load(f)

# group the tensor names by file, then read each shard once
by_file = defaultdict(list)
for name, filename in index["weight_map"].items():
    by_file[filename].append(name)

state = {}
for filename in sorted(by_file):
    shard = load_file(f"tiny-lm/{filename}")
    assert sorted(shard) == sorted(by_file[filename]), f"{filename} does not match the index"
    state.update(shard)
    print(f"{filename}: {len(shard)} tensors")

model = TinyLM()
print(model.load_state_dict(state, strict=True))
print("total_size matches:", index["metadata"]["total_size"] == sum(t.nbytes for t in state.values()))

torch.manual_seed(0)
reference = TinyLM().state_dict()  # the same seed rebuilds the weights that were saved
print("every key equal:", all(torch.equal(reference[k], v) for k, v in model.state_dict().items()))

# the index also lets you open just the file holding one tensor
where = index["weight_map"]["head.weight"]
with safe_open(f"tiny-lm/{where}", framework="pt") as f:
    print("head.weight is in", where, "shape", f.get_slice("head.weight").get_shape())
