# Run after: save_model.py
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))

    def forward(self, x):
        return self.layers(x)


# On the meta device a module has shapes and dtypes but no memory and no random initialisation.
with torch.device("meta"):
    model = Net()
print("before:", {name: str(p.device) for name, p in model.named_parameters()})

state_dict = torch.load("model.pt", mmap=True)
# assign=True puts the loaded tensors into the module instead of copying into the (empty) meta ones.
print(model.load_state_dict(state_dict, assign=True))
print("after: ", {name: str(p.device) for name, p in model.named_parameters()})
print("still Parameters:", all(isinstance(p, nn.Parameter) for p in model.parameters()))
print("shares the loaded tensor:",
      model.layers[0].weight.data_ptr() == state_dict["layers.0.weight"].data_ptr())
print("output:", [round(v, 4) for v in model(torch.ones(1, 512))[0, :3].tolist()])
