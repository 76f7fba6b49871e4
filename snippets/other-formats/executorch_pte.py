# Timeout: 60
import logging
import warnings

# Filtered on purpose, before the imports that trigger them (none is about this program):
# torchao, which ExecuTorch imports, logs that its CUDA-only kernels failed to load on this CPU machine
logging.getLogger("torchao").setLevel(logging.ERROR)
# torchao registers an Enum the way torch 2.13 deprecates
logging.getLogger("torch.utils._pytree").setLevel(logging.ERROR)
# ExecuTorch 1.5.1 still uses torch's deprecated LeafSpec class while lowering
warnings.filterwarnings("ignore", message=".*LeafSpec.*", category=FutureWarning)

import torch
from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
from executorch.exir import to_edge_transform_and_lower
from executorch.runtime import Runtime

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2)).eval()
example = (torch.randn(3, 4),)

# torch.export captures the graph; ExecuTorch lowers it and hands what XNNPACK supports to that backend
exported = torch.export.export(model, example)
program = to_edge_transform_and_lower(exported, partitioner=[XnnpackPartitioner()]).to_executorch()
with open("model.pte", "wb") as f:
    f.write(program.buffer)

with open("model.pte", "rb") as f:
    head = f.read(8)
print("first 8 bytes:", head)
print("identifier   :", head[4:8].decode())

# The ExecuTorch runtime (C++, here through its Python bindings) runs the file: no nn.Module involved
pte = Runtime.get().load_program("model.pte")
print("methods      :", sorted(pte.method_names))
forward = pte.load_method("forward")
x = torch.randn(3, 4)
(out,) = forward.execute([x])
expected = model(x)
print("output shape :", tuple(out.shape))
# XNNPACK kernels may round differently from eager PyTorch; compare with a tolerance
print("max abs diff vs eager < 1e-6:", (out - expected).abs().max().item() < 1e-6)
