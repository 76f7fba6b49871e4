"""The two formats torch.save writes: the zip format (the default since PyTorch 1.6) and the legacy format a
torch older than 1.6 reads. torch 2.13 loads both, with its default weights_only=True."""
import zipfile

import torch

torch.manual_seed(0)
model = torch.nn.Linear(3, 2)

torch.save(model.state_dict(), "zip_format.pt")  # the default
torch.save(model.state_dict(), "legacy_format.pt", _use_new_zipfile_serialization=False)

for name in ("zip_format.pt", "legacy_format.pt"):
    with open(name, "rb") as f:
        start = f.read(4)
    print(f"{name}: zip file: {zipfile.is_zipfile(name)}, first bytes: {start!r}")

for name in ("zip_format.pt", "legacy_format.pt"):
    state = torch.load(name)  # weights_only=True, the default since PyTorch 2.6
    same = all(torch.equal(state[k], v) for k, v in model.state_dict().items())
    print(f"torch {torch.__version__} loads {name}: keys {list(state)}, same values: {same}")
