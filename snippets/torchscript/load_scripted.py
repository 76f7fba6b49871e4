# Run after: save_scripted.py
import warnings

import torch

warnings.simplefilter("default", DeprecationWarning)

# No Classifier class here: the archive carries its own code.
loaded = torch.jit.load("classifier_scripted.pt")
with torch.no_grad():
    print(loaded(torch.ones(1, 4)))  # same numbers as before saving
    print(loaded(-torch.ones(1, 4)))
print(loaded.code)
