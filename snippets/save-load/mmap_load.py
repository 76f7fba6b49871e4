import torch
import torch.nn as nn


def build():
    return nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


torch.manual_seed(0)
torch.save(build().state_dict(), "weights.pt")

# The tensors point into the mapped file; pages are read when touched.
state_dict = torch.load("weights.pt", mmap=True)

# On the meta device parameters have no memory: nothing allocated or initialised.
with torch.device("meta"):
    model = build()
print("before:", model[0].weight.device)

# assign=True makes the loaded tensors the parameters (no copy).
print(model.load_state_dict(state_dict, assign=True))
same = model[0].weight.data_ptr() == state_dict["0.weight"].data_ptr()
print("after: ", model[0].weight.device, "| uses the mapped file:", same)
