"""What the legacy format gives up on a current torch: memory-mapped loading, the list of a file's globals
before loading it, and saving without the data."""
# Run after: legacy_format.py
import torch

try:
    torch.load("legacy_format.pt", mmap=True)
except RuntimeError as error:
    print(f"mmap=True: RuntimeError: {error}")

for name in ("zip_format.pt", "legacy_format.pt"):
    try:
        found = torch.serialization.get_unsafe_globals_in_checkpoint(name)
        print(f"get_unsafe_globals_in_checkpoint({name!r}): {found}")
    except ValueError as error:
        print(f"get_unsafe_globals_in_checkpoint({name!r}): ValueError: {error}")

try:
    with torch.serialization.skip_data():
        torch.save(torch.load("zip_format.pt"), "skeleton.pt", _use_new_zipfile_serialization=False)
except RuntimeError as error:
    print(f"skip_data: RuntimeError: {error}")
