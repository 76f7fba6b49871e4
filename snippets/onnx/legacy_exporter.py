import logging

import onnx
import torch
import torch.nn as nn

logging.getLogger("torch.onnx._internal.exporter._registration").setLevel(logging.ERROR)

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 3)).eval()
example = torch.randn(2, 16)

# The TorchScript-based exporter: one file, dynamic_axes, older opsets.
torch.onnx.export(model, (example,), "legacy.onnx", dynamo=False, opset_version=13,
                  input_names=["x"], output_names=["logits"],
                  dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}})
legacy = onnx.load("legacy.onnx")
print("legacy opset:", legacy.opset_import[0].version, [n.op_type for n in legacy.graph.node])
print("legacy batch dim:", legacy.graph.input[0].type.tensor_type.shape.dim[0].dim_param)

# dynamic_axes still works with the default exporter, with a warning.
torch.onnx.export(model, (example,), "new.onnx", external_data=False, verbose=False,
                  input_names=["x"], output_names=["logits"],
                  dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}})
new = onnx.load("new.onnx")
print("new batch dim:", new.graph.input[0].type.tensor_type.shape.dim[0].dim_param)
