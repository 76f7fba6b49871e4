# Run after: save_scripted.py
# Expected error: RuntimeError
import torch

# torch.load defaults to weights_only=True, which refuses TorchScript archives.
torch.load("classifier_scripted.pt")
