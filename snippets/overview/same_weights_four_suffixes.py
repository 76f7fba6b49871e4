import torch
import torch.nn as nn

torch.manual_seed(0)
state_dict = nn.Linear(4, 2).state_dict()

# The same object, saved four times: only the name differs.
names = ["model.pt", "model.pth", "model.bin", "model.weights"]
for name in names:
    torch.save(state_dict, name)

for name in names:
    with open(name, "rb") as f:
        first_bytes = f.read(4)
    loaded = torch.load(name)  # no argument says which "format" to expect
    same = all(torch.equal(loaded[k], state_dict[k]) for k in state_dict)
    print(f"{name:<14} starts with {first_bytes!r}  equal: {same}")
