import torch
import torch.nn as nn
from safetensors import safe_open
from safetensors.torch import load_model, save_model


class TiedLM(nn.Module):
    def __init__(self, vocab=50, dim=8):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.head = nn.Linear(dim, vocab, bias=False)
        self.head.weight = self.embed.weight


torch.manual_seed(0)
model = TiedLM()
# save_model writes the shared tensor once and records the dropped name in the metadata
save_model(model, "tied.safetensors")

with safe_open("tied.safetensors", framework="pt") as f:
    print("stored tensors:", f.keys())
    print("metadata:", f.metadata())

fresh = TiedLM()  # the tie comes from the class, not from the file
missing, unexpected = load_model(fresh, "tied.safetensors")
print("missing:", missing, "unexpected:", unexpected)
print("still tied:", fresh.head.weight is fresh.embed.weight)
print("equal:", torch.equal(fresh.embed.weight, model.embed.weight))
