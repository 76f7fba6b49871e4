# Run after: export_and_save.py
# Expected error: RuntimeError
import torch

# a .pt2 is a zip like torch.save's, but it has no data.pkl for torch.load to unpickle
torch.load("net.pt2")
