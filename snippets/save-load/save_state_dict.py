import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


torch.manual_seed(0)
model = Net()
# A dict of name -> tensor, nothing else.
torch.save(model.state_dict(), "net_weights.pt")

x = torch.ones(1, 4)
print("keys:", list(model.state_dict()))
print("output before saving:", model(x).detach().numpy().round(4))
