import pickletools
import zipfile

import torch

torch.save({"weight": torch.tensor([[1.0, 2.0], [3.0, 4.0]])}, "one.pt")

with zipfile.ZipFile("one.pt") as archive:
    data_pkl = archive.read("one/data.pkl")

# pickletools only reads the opcodes; it never executes them.
pickletools.dis(data_pkl)
