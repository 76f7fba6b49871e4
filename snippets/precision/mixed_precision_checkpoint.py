"""Mixed-precision training keeps float32 weights: the checkpoint is float32; a half-size copy is for inference."""
import os

import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 1))
optimizer = torch.optim.AdamW(model.parameters())
for _ in range(3):
    x = torch.randn(32, 64)
    with torch.autocast("cpu", dtype=torch.bfloat16):  # matmuls run in bfloat16...
        out = model(x)
        loss = out.float().pow(2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print("activations inside autocast:", out.dtype)
print("parameters:", {p.dtype for p in model.parameters()})  # ...the weights stay float32

torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, "checkpoint.pt")
exp_avg = optimizer.state_dict()["state"][0]["exp_avg"]
print("optimizer moments:", exp_avg.dtype, "- two per parameter for AdamW")

inference = {name: t.to(torch.bfloat16) for name, t in model.state_dict().items()}
torch.save(inference, "model_bf16.pt")
print(f"checkpoint.pt {os.path.getsize('checkpoint.pt'):,} bytes; model_bf16.pt {os.path.getsize('model_bf16.pt'):,} bytes")
