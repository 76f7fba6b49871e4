import logging
import os
import shutil

import onnx
import onnxruntime as ort
import torch
import torch.nn as nn

logging.getLogger("torch.onnx._internal.exporter._registration").setLevel(logging.ERROR)

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 3)).eval()
os.makedirs("default")
os.makedirs("single")
# external_data=True is the default: weights go to a file next to the model.
onnx_program = torch.onnx.export(model, (torch.randn(2, 16),), "default/model.onnx", verbose=False)
onnx_program.save("single/model.onnx", external_data=False)  # everything inside model.onnx
for folder in ("default", "single"):
    print(f"{folder}/:", sorted(os.listdir(folder)))

# Without the .data file, the graph still loads but the weights are only references.
proto = onnx.load("default/model.onnx", load_external_data=False)
for t in proto.graph.initializer:
    where = {e.key: e.value for e in t.external_data} if t.data_location == onnx.TensorProto.EXTERNAL else "inline"
    print(f"{t.name:12} {len(t.raw_data):4} bytes in model.onnx, {where}")

proto = onnx.load("default/model.onnx")  # load_external_data=True: reads model.onnx.data too
print("after loading external data:", [len(t.raw_data) for t in proto.graph.initializer])

# Ship model.onnx alone and the runtime cannot find the weights.
os.makedirs("copied")
shutil.copy("default/model.onnx", "copied/")
try:
    ort.InferenceSession("copied/model.onnx", providers=["CPUExecutionProvider"])
except Exception as error:
    print(type(error).__name__, "-", error)
