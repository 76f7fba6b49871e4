import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.5), nn.Linear(8, 2))
x = torch.ones(1, 8)

with torch.no_grad():  # no_grad turns off gradients, not dropout
    print("training:", model.training, "| same answer twice:", torch.equal(model(x), model(x)))
    model.eval()  # dropout off, batchnorm uses its running statistics
    print("training:", model.training, "| same answer twice:", torch.equal(model(x), model(x)))
