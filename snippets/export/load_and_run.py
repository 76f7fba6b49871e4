# Run after: export_and_save.py
import torch

# A new process: the class Net is not defined here, and is not needed.
ep = torch.export.load("net.pt2")
net = ep.module()  # a callable torch.nn.Module built from the stored graph

args, kwargs = ep.example_inputs  # the example input was saved in the archive too
print("row 0:", [round(v, 4) for v in net(*args, **kwargs)[0].tolist()])
for n in (1, 7):
    print(f"batch {n} ->", tuple(net(torch.randn(n, 4)).shape))

# the weights travel inside the archive
print({k: tuple(v.shape) for k, v in ep.state_dict.items()})

try:
    net(torch.randn(3, 5))  # feature size was not declared dynamic
except Exception as err:
    print(type(err).__name__, "->", str(err).splitlines()[0])
