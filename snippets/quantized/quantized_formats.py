"""Which formats carry a torchao int8 model: torch.export keeps the int8 weights, the ONNX export stores float32."""
import logging

logging.getLogger("torchao").setLevel(logging.ERROR)
logging.getLogger("torch.utils._pytree").setLevel(logging.ERROR)
# the ONNX exporter's "torchvision is not installed" notices: harmless here
logging.getLogger("torch.onnx._internal.exporter._registration").setLevel(logging.ERROR)

import onnx  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torchao.quantization import Int8WeightOnlyConfig, quantize_  # noqa: E402

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 16)).eval()
x = torch.randn(4, 256)
quantize_(model, Int8WeightOnlyConfig())

torch.export.save(torch.export.export(model, (x,)), "model_int8.pt2")
loaded = torch.export.load("model_int8.pt2")
weight = loaded.state_dict["0.weight"]
# (no file sizes here: .pt2 and .onnx files record the source path of each traced line, so they vary by machine)
print(f"model_int8.pt2: 0.weight is a {type(weight).__name__}; same outputs: {torch.allclose(loaded.module()(x), model(x))}")

torch.onnx.export(model, (x,), "model.onnx", external_data=False, verbose=False)
proto = onnx.load("model.onnx")
print("model.onnx: its weight matrices:")
for tensor in proto.graph.initializer:
    if len(tensor.dims) == 2:
        print(f"    {tensor.name:<10} {onnx.TensorProto.DataType.Name(tensor.data_type):<6} {list(tensor.dims)}")
