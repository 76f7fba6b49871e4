# Run after: export_for_runtime.py
# Expected error: NameError
import onnxruntime as ort

session = ort.InferenceSession("model.onnx", providers=["CPUExecutionProvider"])
outputs = session.run(None, {"input": np.random.randn(1, 10).astype(np.float32)})
