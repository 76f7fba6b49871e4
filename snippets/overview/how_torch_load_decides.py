import shutil
import warnings
import zipfile

import torch
import torch.nn as nn
from safetensors.torch import save_file


def short(error):
    """An error message's first sentence, plus the line naming the cause."""
    lines = [line for line in str(error).splitlines() if line.strip()]
    text = lines[0].split(". ")[0].rstrip(".") + "."
    cause = [line for line in lines if line.startswith("Unsupported")]
    return text + (" ... " + cause[0] if cause else "")


print("torch", torch.__version__)
torch.manual_seed(0)
model = nn.Linear(4, 2)

# The zip format, the default since PyTorch 1.6, and the legacy format.
torch.save(model.state_dict(), "current.pt")
torch.save(model.state_dict(), "legacy.pt",
           _use_new_zipfile_serialization=False)
with warnings.catch_warnings():
    # TorchScript is deprecated, but its files are still around.
    warnings.simplefilter("ignore", DeprecationWarning)
    torch.jit.script(model).save("scripted.pt")
save_file(model.state_dict(), "weights.safetensors")
# The same bytes under another name.
shutil.copy("weights.safetensors", "safetensors_renamed.bin")

for name in ["current.pt", "legacy.pt", "scripted.pt",
             "weights.safetensors", "safetensors_renamed.bin"]:
    with open(name, "rb") as f:
        head = f.read(12)
    print(f"\n{name}\n  first bytes: {head!r}")
    if zipfile.is_zipfile(name):
        members = [m.split("/", 1)[1] for m in zipfile.ZipFile(name).namelist()]
        print("  zip archive, constants.pkl inside:", "constants.pkl" in members)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = torch.load(name)  # the defaults: weights_only=True
            print("  torch.load ->", type(result).__name__, sorted(result))
        except Exception as error:
            print(f"  torch.load -> {type(error).__name__}: {short(error)}")
    for warning in caught:
        print("  warning:", warning.message)
