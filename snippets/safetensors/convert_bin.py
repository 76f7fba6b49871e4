import torch
import torch.nn as nn
from safetensors.torch import load_file, save_file

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 4))
torch.save(model.state_dict(), "pytorch_model.bin")  # the pickle-based file we start from

# .bin -> .safetensors
state = torch.load("pytorch_model.bin", map_location="cpu", weights_only=True)
# contiguous() because safetensors stores dense bytes only and refuses strided views
save_file({k: v.contiguous() for k, v in state.items()}, "model.safetensors", metadata={"format": "pt"})

# .safetensors -> .bin
back = load_file("model.safetensors")
torch.save(back, "roundtrip.bin")
again = torch.load("roundtrip.bin", weights_only=True)


def same(a, b):
    return a.keys() == b.keys() and all(a[k].dtype == b[k].dtype and torch.equal(a[k], b[k]) for k in a)


print("keys:", len(state), list(state)[:4], "...")
print("int64 buffer kept:", back["1.num_batches_tracked"].dtype)
print("bin == safetensors:", same(state, back))
print("safetensors == roundtrip.bin:", same(back, again))
