import torch.nn as nn
import torch.optim as optim  # the line the broken example leaves out

model = nn.Linear(4, 2)
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
print(type(optimizer).__name__, optimizer.defaults["lr"], optimizer.defaults["momentum"])
