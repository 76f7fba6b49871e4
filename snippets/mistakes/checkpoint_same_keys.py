import torch
import torch.nn as nn
import torch.optim as optim

MODEL, OPTIMIZER = "model_state_dict", "optimizer_state_dict"  # one spelling, used twice

model = nn.Linear(4, 2)
optimizer = optim.SGD(model.parameters(), lr=0.01)
torch.save({MODEL: model.state_dict(), OPTIMIZER: optimizer.state_dict()}, "checkpoint.pt")

checkpoint = torch.load("checkpoint.pt")
print("keys:", list(checkpoint))  # when in doubt, look before indexing
print(model.load_state_dict(checkpoint[MODEL]))
optimizer.load_state_dict(checkpoint[OPTIMIZER])
