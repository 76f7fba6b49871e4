import warnings
import zipfile

import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        return torch.relu(self.fc(x))


# Python hides DeprecationWarnings raised inside libraries; show them.
warnings.simplefilter("default", DeprecationWarning)
torch.manual_seed(0)
torch.jit.save(torch.jit.script(Net()), "net_script.pt")

with zipfile.ZipFile("net_script.pt") as archive:
    names = archive.namelist()
    for name in names:
        print(name)
    # The model's code travels with it, as TorchScript source text.
    code = next(n for n in names if n.endswith("code/__torch__.py"))
    print(f"--- {code}")
    print(archive.read(code).decode().strip())
