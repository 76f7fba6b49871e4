# Expected error: RuntimeError
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
# Saved from the wrapper: every key starts with "module.".
torch.save(nn.DataParallel(model).state_dict(), "dp_weights.pt")

fresh = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
fresh.load_state_dict(torch.load("dp_weights.pt"))
