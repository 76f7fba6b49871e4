# Run after: gguf_write.py
import gguf
import numpy as np
import torch

reader = gguf.GGUFReader("tiny.gguf")  # memory-maps the file; nothing is executed

print("key/value metadata:")
for name, field in reader.fields.items():
    kind = "/".join(t.name for t in field.types)
    print(f"  {name:<24} {kind:<8} {field.contents()!r}")

print("\ntensors:")
print(f"  {'name':<10} {'type':<5} {'GGUF shape':<11} {'numpy shape':<12} {'bytes':>5}")
for t in reader.tensors:
    gguf_shape = str([int(d) for d in t.shape])
    print(f"  {t.name:<10} {t.tensor_type.name:<5} {gguf_shape:<11} {str(t.data.shape):<12} {int(t.n_bytes):>5}")

# Rebuild the same model (same seed) to compare what came back with what went in.
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(64, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
original = model.state_dict()["0.weight"].numpy()
stored = next(t for t in reader.tensors if t.name == "0.weight")
restored = gguf.quants.dequantize(stored.data, stored.tensor_type)
print(f"\n0.weight: float32 would take {original.nbytes} bytes, Q8_0 takes {int(stored.n_bytes)}")
print(f"0.weight: largest error after Q8_0 round trip {np.abs(restored - original).max():.4f}")
bias = next(t for t in reader.tensors if t.name == "2.bias")
print("2.bias identical:", np.array_equal(bias.data, model.state_dict()["2.bias"].numpy()))
