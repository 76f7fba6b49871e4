import torch
import torch.nn as nn
import torch.optim as optim


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


torch.manual_seed(0)
model = Net()
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

# One training step, so that the optimizer has state (momentum buffers).
loss = model(torch.randn(16, 4)).pow(2).mean()
loss.backward()
optimizer.step()

print("model.state_dict(): name -> tensor")
for name, tensor in model.state_dict().items():
    print(f"  {name:<11} {tuple(tensor.shape)}")

state = optimizer.state_dict()
group = state["param_groups"][0]
print("optimizer.state_dict():", list(state))
print("  state, one entry per parameter, by position:", list(state["state"]))
print("  state[0] holds:", list(state["state"][0]))
print("  param_groups[0]:", {k: group[k] for k in ("lr", "momentum", "params")})
print(f"loss: {loss.item():.4f}")
