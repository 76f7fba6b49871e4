# Expected error: KeyError
import torch
import torch.nn as nn
import torch.optim as optim

model = nn.Linear(4, 2)
optimizer = optim.SGD(model.parameters(), lr=0.01)
torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, "checkpoint.pt")

checkpoint = torch.load("checkpoint.pt")
model.load_state_dict(checkpoint["model_state_dict"])  # saved as "model", loaded as something else
