# Run after: make_payload.py
from torch.serialization import get_unsafe_globals_in_checkpoint

# Reads the pickle inside the archive without executing it, and lists every global (function or class)
# that weights_only=True would refuse.
print("clean.pt:     ", get_unsafe_globals_in_checkpoint("clean.pt"))
print("suspicious.pt:", get_unsafe_globals_in_checkpoint("suspicious.pt"))
