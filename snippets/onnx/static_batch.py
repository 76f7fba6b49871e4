# Expected error: InvalidArgument
import logging

import numpy as np
import onnxruntime as ort
import torch
import torch.nn as nn

# Silence the exporter's "torchvision is not installed" notices: harmless here.
logging.getLogger("torch.onnx._internal.exporter._registration").setLevel(logging.ERROR)

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 3)).eval()
# No dynamic_shapes: every dimension is fixed to the example's shape, batch 2 included.
torch.onnx.export(model, (torch.randn(2, 16),), "static.onnx", external_data=False, verbose=False)

session = ort.InferenceSession("static.onnx", providers=["CPUExecutionProvider"])
print("input shape:", session.get_inputs()[0].shape)
session.run(None, {session.get_inputs()[0].name: np.zeros((7, 16), dtype=np.float32)})
