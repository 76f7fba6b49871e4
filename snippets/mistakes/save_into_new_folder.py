import os

import torch
import torch.nn as nn

model = nn.Linear(4, 2)
os.makedirs("checkpoints", exist_ok=True)  # create the folder first
torch.save(model.state_dict(), "checkpoints/model-1.pt")
print(os.listdir("checkpoints"))
