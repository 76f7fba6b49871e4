# Run after: make_payload.py
# Expected error: UnpicklingError
import os

import torch

# torch.load reads this variable on every call, so whoever starts the process (a CI job, a container)
# can set it without touching the code. It overrides even an explicit weights_only=False.
os.environ["TORCH_FORCE_WEIGHTS_ONLY_LOAD"] = "1"
try:
    torch.load("suspicious.pt", weights_only=False)
finally:
    del os.environ["TORCH_FORCE_WEIGHTS_ONLY_LOAD"]  # in a notebook the setting would outlive this cell
