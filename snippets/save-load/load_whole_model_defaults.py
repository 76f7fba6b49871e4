# Run after: save_whole_model.py
# Expected error: UnpicklingError
import inspect

import torch
import torch.nn as nn


class Net(nn.Module):  # the class is here, so only weights_only stands in the way
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


print("torch", torch.__version__)
default = inspect.signature(torch.load).parameters["weights_only"].default
print("weights_only in the signature:", default)
# None acts as True: only tensors and plain containers may load.
model = torch.load("whole_model.pt")
