# Expected error: RuntimeError
import pickle
import zipfile

import torch

torch.save({"weight": torch.ones(2)}, "legacy.pt", _use_new_zipfile_serialization=False)

with open("legacy.pt", "rb") as f:
    print("first bytes:", f.read(12).hex(" "))
    f.seek(0)
    # The legacy format is several pickles one after another; the first is a magic number.
    print("first pickle:", hex(pickle.load(f)))
print("is a zip file:", zipfile.is_zipfile("legacy.pt"))
print("loads normally:", torch.load("legacy.pt"))

# mmap needs the zip layout (tensor bytes aligned in the file): the legacy format cannot be mapped.
torch.load("legacy.pt", mmap=True)
