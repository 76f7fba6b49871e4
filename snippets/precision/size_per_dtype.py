"""The same weights saved as float32, float16 and bfloat16: file size, and what the rounding costs."""
import os

import torch
import torch.nn as nn
from safetensors.torch import save_file

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(512, 1024), nn.GELU(), nn.Linear(1024, 512)).eval()
x = torch.randn(8, 512)
with torch.no_grad():
    reference = model(x)

print(f"{'dtype':<10}{'torch.save':>12}{'safetensors':>13}{'max weight error':>18}{'max output error':>18}")
for dtype in (torch.float32, torch.float16, torch.bfloat16):
    state = {name: t.to(dtype) for name, t in model.state_dict().items()}
    name = str(dtype).removeprefix("torch.")
    torch.save(state, f"model_{name}.pt")
    save_file(state, f"model_{name}.safetensors")
    # Load the rounded weights back into a float32 model, as you would for inference on a CPU.
    restored = nn.Sequential(nn.Linear(512, 1024), nn.GELU(), nn.Linear(1024, 512)).eval()
    restored.load_state_dict(state)
    weight_error = max((a - b).abs().max().item() for a, b in zip(model.state_dict().values(),
                                                                  restored.state_dict().values()))
    with torch.no_grad():
        output_error = (restored(x) - reference).abs().max().item()
    print(f"{name:<10}{os.path.getsize(f'model_{name}.pt'):>12,}{os.path.getsize(f'model_{name}.safetensors'):>13,}"
          f"{weight_error:>18.2e}{output_error:>18.0e}")  # one digit: the last ones depend on the CPU
