"""Save one small trained model in every format, then print each file's size in bytes (as JSON)."""
import json
import logging
import os
import warnings
from pathlib import Path

# TorchScript warns that it is deprecated on every call (the version table covers that), torch.export warns
# about an internal API, and ExecuTorch's lowering uses torch's deprecated LeafSpec; none changes what is saved.
warnings.filterwarnings("ignore", category=DeprecationWarning)
warnings.filterwarnings("ignore", category=FutureWarning)
# ExecuTorch imports torchao, which logs that its CUDA-only kernels cannot load on this CPU machine and registers
# an Enum the way torch 2.13 deprecates (set before the imports that log it)
logging.getLogger("torchao").setLevel(logging.ERROR)
logging.getLogger("torch.utils._pytree").setLevel(logging.ERROR)

import gguf
import onnx
import torch
import torch.nn as nn
from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
from executorch.exir import to_edge_transform_and_lower
from safetensors.torch import save_file
torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 16)
        self.fc2 = nn.Linear(16, 3)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


model = Net()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.randn(2, 4)
loss = model(x).pow(2).mean()
loss.backward()
optimizer.step()  # one step, so that the optimizer has state worth keeping
model.eval()

# --8<-- [start:save]
torch.save(model.state_dict(), "model_state_dict.pt")
torch.save(model, "model_whole.pt")
torch.save({"epoch": 1, "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(), "loss": loss.item()}, "checkpoint.pt")
torch.jit.save(torch.jit.script(model), "model_scripted.pt")
torch.onnx.export(model, (x,), "model.onnx", external_data=False, verbose=False)
save_file(model.state_dict(), "model.safetensors")
torch.export.save(torch.export.export(model, (x,)), "model.pt2")
writer = gguf.GGUFWriter("model.gguf", arch="demo")
for name, tensor in model.state_dict().items():
    writer.add_tensor(name, tensor.numpy())
writer.write_header_to_file(); writer.write_kv_data_to_file(); writer.write_tensors_to_file(); writer.close()
Path("model.pte").write_bytes(to_edge_transform_and_lower(torch.export.export(model, (x,)),
                              partitioner=[XnnpackPartitioner()]).to_executorch().buffer)
# --8<-- [end:save]

# What the other checks compare against: an input, the output it gives, and two tensors to look for.
torch.save({"x": x, "y": model(x).detach(), "fc1_weight": model.fc1.weight.detach().clone(),
            "fc1_exp_avg": optimizer.state[model.fc1.weight]["exp_avg"]}, "reference.pt")

# The ONNX exporter stores, for every node, the source lines it came from ("pkg.torch.onnx.stack_trace"), with the
# absolute paths of this script and of torch's own files: the same model is bigger when torch is installed at a
# longer path. Measure a copy without them, so that the size is the model's and not the machine's.
stripped = onnx.load("model.onnx")
for node in stripped.graph.node:
    kept = [p for p in node.metadata_props if p.key != "pkg.torch.onnx.stack_trace"]
    del node.metadata_props[:]
    node.metadata_props.extend(kept)
onnx.save(stripped, "model_without_paths.onnx")

files = {"state_dict": "model_state_dict.pt", "whole_model": "model_whole.pt", "checkpoint": "checkpoint.pt",
         "torchscript": "model_scripted.pt", "onnx": "model_without_paths.onnx", "safetensors": "model.safetensors",
         "export_pt2": "model.pt2", "gguf": "model.gguf", "executorch": "model.pte"}
print(json.dumps({fmt: {"file": name, "bytes": os.path.getsize(name)} for fmt, name in files.items()}, indent=1))
