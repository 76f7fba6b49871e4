# Run after: export_for_runtime.py
import numpy as np  # onnxruntime takes and returns numpy arrays
import onnxruntime as ort

session = ort.InferenceSession("model.onnx", providers=["CPUExecutionProvider"])
rng = np.random.default_rng(0)
outputs = session.run(None, {"input": rng.standard_normal((1, 10), dtype=np.float32)})
print(outputs[0].shape, outputs[0].dtype)
