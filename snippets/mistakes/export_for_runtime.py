import logging

import torch
import torch.nn as nn

logging.getLogger("torch.onnx._internal.exporter._registration").setLevel(logging.ERROR)

torch.manual_seed(0)
model = nn.Linear(10, 2).eval()
torch.onnx.export(model, (torch.randn(1, 10),), "model.onnx", input_names=["input"],
                  external_data=False, verbose=False)
print("wrote model.onnx")
