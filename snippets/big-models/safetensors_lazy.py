import torch
from safetensors import safe_open
from safetensors.torch import save_file

torch.manual_seed(0)
save_file({"embed.weight": torch.randn(1000, 64), "head.weight": torch.randn(10, 64)}, "model.safetensors")

# safe_open reads the small JSON header only; each tensor is read from the file when asked for.
with safe_open("model.safetensors", framework="pt", device="cpu") as f:
    print("keys:", list(f.keys()))
    embed = f.get_slice("embed.weight")      # no data read yet
    print("embed.weight shape:", embed.get_shape(), "dtype:", embed.get_dtype())
    rows = embed[10:12]                       # reads just these two rows
    print("rows 10-11:", rows.shape, [round(v, 4) for v in rows[0, :3].tolist()])
    head = f.get_tensor("head.weight")        # one whole tensor
    print("head.weight:", tuple(head.shape))
