import onnx
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        return torch.relu(self.fc(x))


torch.manual_seed(0)
torch.onnx.export(Net().eval(), (torch.randn(1, 3),), "net.onnx", input_names=["x"], output_names=["y"],
                  external_data=False, verbose=False)

# An .onnx file is one protobuf message, ModelProto; onnx.load parses it (no code runs).
model = onnx.load("net.onnx")
print("ir_version:", model.ir_version)
print("opset_import:", [(o.domain or "ai.onnx", o.version) for o in model.opset_import])
graph = model.graph
for value in graph.input:
    dims = [d.dim_value or d.dim_param for d in value.type.tensor_type.shape.dim]
    print("input: ", value.name, onnx.TensorProto.DataType.Name(value.type.tensor_type.elem_type), dims)
for value in graph.output:
    dims = [d.dim_value or d.dim_param for d in value.type.tensor_type.shape.dim]
    print("output:", value.name, onnx.TensorProto.DataType.Name(value.type.tensor_type.elem_type), dims)
for node in graph.node:
    print(f"node:   {node.op_type}({', '.join(node.input)}) -> {', '.join(node.output)}")
for tensor in graph.initializer:
    print(f"initializer: {tensor.name} dims={list(tensor.dims)} raw_data={len(tensor.raw_data)} bytes "
          f"data_location={onnx.TensorProto.DataLocation.Name(tensor.data_location)}")
