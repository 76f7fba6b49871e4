# Run after: save_whole_model.py
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


# Full pickle: the file may build any object and call any function.
# Only for a file you made yourself or got from someone you trust.
model = torch.load("whole_model.pt", weights_only=False)
print(model)
