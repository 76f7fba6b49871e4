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


# Which classes and functions does the file ask for? Reads, runs nothing.
needed = torch.serialization.get_unsafe_globals_in_checkpoint("whole_model.pt")
print(sorted(needed))

# Allow exactly those, for this one load.
with torch.serialization.safe_globals([Net, nn.Linear, nn.ReLU]):
    model = torch.load("whole_model.pt")
count = sum(p.numel() for p in model.parameters())
print(type(model).__name__, "loaded,", count, "parameters")
