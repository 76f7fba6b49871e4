import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return torch.relu(self.fc(x))


torch.manual_seed(0)
model = Net().eval()
example = (torch.randn(3, 4),)

# dimension 0 of x may vary; without this the graph is specialised to batch 3
batch = torch.export.Dim("batch")
ep = torch.export.export(model, example, dynamic_shapes={"x": {0: batch}})
print(ep)

torch.export.save(ep, "net.pt2")
print("saved net.pt2; eager output for row 0:", [round(v, 4) for v in model(example[0])[0].tolist()])
