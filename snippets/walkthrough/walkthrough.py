# The whole walkthrough in one program: train, checkpoint, resume, export to ONNX, run it, convert to safetensors.
# The walkthrough page shows it section by section; the site's build runs it as a notebook.
# --8<-- [start:setup]
import logging
import warnings

import numpy as np
import onnxruntime as ort
import torch
from safetensors.torch import load_file, save_file
from torch import nn

torch.manual_seed(0)

# A small regression problem: y = 3*x0 - 2*x1 + 0.5, plus a little noise.
x = torch.randn(256, 2)
y = (3 * x[:, :1] - 2 * x[:, 1:] + 0.5) + 0.01 * torch.randn(256, 1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        return self.layers(x)


def train(model, optimizer, epochs):
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    return loss.item()
# --8<-- [end:setup]

# --8<-- [start:train]
model = Net()
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
loss = train(model, optimizer, epochs=100)
print(f"after 100 epochs: loss {loss:.4f}")
# --8<-- [end:train]

# --8<-- [start:checkpoint]
# Everything needed to continue: weights, optimizer state (Adam's moments), the epoch count.
torch.save({"epoch": 100, "model": model.state_dict(), "optimizer": optimizer.state_dict()}, "checkpoint.pt")
# --8<-- [end:checkpoint]

# --8<-- [start:resume]
# A fresh model and optimizer, as in a new process after a crash.
resumed = Net()
resumed_optimizer = torch.optim.Adam(resumed.parameters(), lr=0.05)
checkpoint = torch.load("checkpoint.pt")  # weights_only=True by default: tensors and plain containers only
resumed.load_state_dict(checkpoint["model"])
resumed_optimizer.load_state_dict(checkpoint["optimizer"])
start = checkpoint["epoch"]

# Continuing from the checkpoint gives exactly what continuing without stopping gives.
loss_resumed = train(resumed, resumed_optimizer, epochs=50)
loss_straight = train(model, optimizer, epochs=50)
print(f"resumed at epoch {start}, after {start + 50}: loss {loss_resumed:.4f}")
print(f"same as never stopping: {loss_resumed == loss_straight}")
# --8<-- [end:resume]

# --8<-- [start:onnx-export]
# Quiet the exporter: it logs that torchvision (not used here) is missing, and warns about its own internals.
logging.getLogger("torch.onnx").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", category=FutureWarning, module="copyreg")

resumed.eval()
example = torch.randn(4, 2)
onnx_program = torch.onnx.export(
    resumed, (example,), dynamic_shapes={"x": {0: torch.export.Dim("batch")}}, verbose=False)
onnx_program.save("model.onnx", external_data=False)  # one self-contained file
# --8<-- [end:onnx-export]

# --8<-- [start:onnx-run]
session = ort.InferenceSession("model.onnx", providers=["CPUExecutionProvider"])
batch = torch.randn(7, 2)  # another batch size than the example: the batch dimension is dynamic
(onnx_out,) = session.run(None, {session.get_inputs()[0].name: batch.numpy()})
with torch.no_grad():
    torch_out = resumed(batch).numpy()
print("input:", session.get_inputs()[0].name, session.get_inputs()[0].shape)
print("onnxruntime matches PyTorch:", np.allclose(onnx_out, torch_out, atol=1e-5))
# --8<-- [end:onnx-run]

# --8<-- [start:safetensors]
# Weights only, no pickle: safe to load from anyone. The class (Net) comes from your code.
save_file(resumed.state_dict(), "model.safetensors")
weights = load_file("model.safetensors")
print({name: list(tensor.shape) for name, tensor in weights.items()})
fresh = Net()
fresh.load_state_dict(weights)
with torch.no_grad():
    print("same predictions:", torch.equal(fresh(batch), resumed(batch)))
# --8<-- [end:safetensors]
