# Run after: make_payload.py
# Expected error: UnpicklingError
import os

import torch

print("marker before loading:", os.path.exists("i_ran.txt"))
try:
    torch.load("suspicious.pt")  # weights_only=True is the default
finally:
    print("marker after loading: ", os.path.exists("i_ran.txt"))
