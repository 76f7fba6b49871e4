# Expected error: UnpicklingError
import torch
import torch.nn as nn

model = nn.Linear(4, 2)
torch.save(model.state_dict, "model.pt")  # no (): saves the bound method, and with it the whole module
state_dict = torch.load("model.pt")
