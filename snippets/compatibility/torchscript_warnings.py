"""What TorchScript says about its future on torch 2.13: the warnings each call emits, and which of them a
plain `python script.py` shows."""
import subprocess
import sys
import warnings

import torch

SCRIPT = """
import torch
model = torch.nn.Linear(3, 2).eval()
torch.jit.save(torch.jit.script(model), "scripted.pt")
torch.jit.load("scripted.pt")
torch.jit.trace(model, torch.randn(1, 3))
print("ran without error")
"""

# 1. A reader's plain `python script.py`: Python's default warning filters (-I: no PYTHONWARNINGS, no -W options).
run = subprocess.run([sys.executable, "-I", "-c", SCRIPT], capture_output=True, text=True)
print("python script.py prints:", run.stdout.strip())
print("and on stderr:", repr(run.stderr.strip()) if run.stderr.strip() else "nothing")

# 2. The same calls with every warning recorded (what pytest, or python -W default, shows).
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    exec(SCRIPT)
for category, message in sorted({(w.category.__name__, str(w.message)) for w in caught}):
    print(f"{category}: {message}")
