import os

import numpy as np
import onnx
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):  # "x" is the name dynamic_shapes refers to
        return self.fc2(torch.relu(self.fc1(x)))


torch.manual_seed(0)
model = Net().eval()  # export what inference runs: no dropout, batchnorm in eval mode
example = torch.randn(2, 16)

onnx_program = torch.onnx.export(
    model,
    (example,),
    "model.onnx",
    input_names=["x"],
    output_names=["logits"],
    dynamic_shapes={"x": {0: torch.export.Dim("batch")}},  # any batch size, not only 2
    verbose=False,  # no progress lines
)
print("files:", sorted(f for f in os.listdir(".") if f.startswith("model")))

onnx.checker.check_model("model.onnx")  # a path: the checker also finds model.onnx.data
graph = onnx.load("model.onnx").graph
print("opset:", {o.domain or "ai.onnx": o.version for o in onnx.load("model.onnx").opset_import})
print("inputs:", [(i.name, [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]) for i in graph.input])
print("outputs:", [(o.name, [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim]) for o in graph.output])
print("nodes:", [n.op_type for n in graph.node])
print("initializers:", [(t.name, list(t.dims)) for t in graph.initializer])

# Keep an input and PyTorch's answer, for the runtime to compare against.
x = torch.randn(7, 16)
with torch.no_grad():
    np.save("x.npy", x.numpy())
    np.save("expected.npy", model(x).numpy())
