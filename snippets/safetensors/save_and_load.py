import torch
import torch.nn as nn
from safetensors.torch import load_file, save_file


class TinyLM(nn.Module):
    def __init__(self, vocab=50, dim=8):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.proj = nn.Linear(dim, dim)
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids):
        return self.head(torch.relu(self.proj(self.embed(ids))))


torch.manual_seed(0)
model = TinyLM()

# save_file takes a flat dict of name -> tensor; a state_dict is exactly that
save_file(model.state_dict(), "model.safetensors", metadata={"format": "pt"})

tensors = load_file("model.safetensors")  # a plain dict of tensors, on the CPU by default
for name, t in tensors.items():
    print(f"{name:12} {str(t.dtype):14} {tuple(t.shape)}")

fresh = TinyLM()
print(fresh.load_state_dict(tensors))
ids = torch.tensor([[1, 2, 3]])
print("same output:", torch.equal(model(ids), fresh(ids)))
