"""What load_state_dict does when the file's dtype is not the model's: it converts, and says nothing."""
import torch
import torch.nn as nn

torch.manual_seed(0)
half = {name: t.half() for name, t in nn.Linear(4, 2).state_dict().items()}  # a float16 file's contents

model = nn.Linear(4, 2)  # float32
print(model.load_state_dict(half))
print("after load_state_dict:       ", model.weight.dtype, "(copied into the float32 parameters)")
print("values equal the float16 ones:", torch.equal(model.weight, half["weight"].float()))

model = nn.Linear(4, 2)
model.load_state_dict(half, assign=True)  # assign keeps the loaded tensors themselves
print("after load_state_dict(assign=True):", model.weight.dtype)
try:
    model(torch.randn(1, 4))
except RuntimeError as error:
    print("float32 input:", error)
