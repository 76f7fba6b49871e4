# Expected error: RuntimeError
import torch
import torch.nn as nn

torch.manual_seed(0)
pretrained = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 10))
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))

# strict=False does not skip tensors whose shape differs: it still raises.
model.load_state_dict(pretrained.state_dict(), strict=False)
