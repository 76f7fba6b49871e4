# Expected error: UnpicklingError
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x)


torch.save(Net(), "model.pt")  # pickles the whole object, class reference included
model = torch.load("model.pt")  # weights_only=True by default since PyTorch 2.6
