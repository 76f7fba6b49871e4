# Run after: save_state_dict.py
import torch
import torch.nn as nn


# The class comes from your code, not from the file: the file holds only tensors.
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


model = Net()  # freshly initialised, other weights
# weights_only=True by default: only tensors and plain containers load.
state_dict = torch.load("net_weights.pt")
# Overwrites the weights; a missing or extra key would raise.
print(model.load_state_dict(state_dict))
model.eval()  # dropout and batch norm switch to inference behaviour

with torch.no_grad():
    print("output after loading: ", model(torch.ones(1, 4)).numpy().round(4))
