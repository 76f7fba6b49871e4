"""Keep the newest N checkpoints, and save to memory (bytes) when the destination is not a file."""
import io
import os
import pathlib

import torch
import torch.nn as nn

KEEP = 3
torch.manual_seed(0)
model = nn.Linear(4, 2)
folder = pathlib.Path("checkpoints")
folder.mkdir(exist_ok=True)

for step in range(100, 700, 100):
    path = folder / f"step-{step:08d}.pt"  # zero-padded: sorting the names sorts the steps
    tmp = path.with_suffix(".tmp")
    torch.save({"step": step, "model": model.state_dict()}, tmp)
    os.replace(tmp, path)  # never a half-written step-*.pt (see atomic_save.py)
    for old in sorted(folder.glob("step-*.pt"))[:-KEEP]:  # delete only after the new one is complete
        old.unlink()
print("kept:", [p.name for p in sorted(folder.glob("step-*.pt"))])
print("resume from:", torch.load(sorted(folder.glob("step-*.pt"))[-1])["step"])

buffer = io.BytesIO()  # for a database, an object store client, a network message
torch.save(model.state_dict(), buffer)
data = buffer.getvalue()
print(f"{len(data):,} bytes in memory, starting with {data[:4]!r} (a zip archive, as on disk)")
state = torch.load(io.BytesIO(data))  # the same defaults apply: weights_only=True
print("loaded back:", list(state))
