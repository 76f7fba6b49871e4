# Expected error: NameError
import torch
import torch.nn as nn

model = nn.Linear(4, 2)
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
