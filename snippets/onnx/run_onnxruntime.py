# Run after: export.py
import numpy as np
import onnxruntime as ort

# Only numpy and onnxruntime here: a deployment needs no PyTorch.
session = ort.InferenceSession("model.onnx", providers=["CPUExecutionProvider"])
print("providers:", session.get_providers())
print("inputs:", [(i.name, i.shape, i.type) for i in session.get_inputs()])
print("outputs:", [(o.name, o.shape, o.type) for o in session.get_outputs()])

x = np.load("x.npy")  # batch of 7; the export saw a batch of 2
(logits,) = session.run(["logits"], {"x": x})
expected = np.load("expected.npy")
difference = np.abs(logits - expected).max()
print("shape:", logits.shape)
print("max abs difference < 1e-5:", bool(difference < 1e-5))
print("allclose:", np.allclose(logits, expected, rtol=1e-4, atol=1e-5))
