"""A checkpoint loader that stays safe on older torch: it asks torch which safe-loading features it has instead
of comparing version numbers, and never falls back to weights_only=False."""
import inspect
from dataclasses import dataclass

import torch


@dataclass
class TrainConfig:  # a class of your own inside a checkpoint: refused unless you allow it
    lr: float
    epochs: int


def features():
    serialization = torch.serialization
    return {
        "weights_only": "weights_only" in inspect.signature(torch.load).parameters,
        "add_safe_globals": hasattr(serialization, "add_safe_globals"),
        "safe_globals": hasattr(serialization, "safe_globals"),
        "get_unsafe_globals_in_checkpoint": hasattr(serialization, "get_unsafe_globals_in_checkpoint"),
    }


def load_checkpoint(path, allowed=()):
    """Load with weights_only=True on any torch that has it; allow only the classes in `allowed`."""
    has = features()
    if not has["weights_only"]:
        raise RuntimeError(f"torch {torch.__version__} cannot load a file safely: upgrade torch")
    if has["get_unsafe_globals_in_checkpoint"]:
        names = {f"{c.__module__}.{c.__qualname__}" for c in allowed}
        unexpected = [g for g in torch.serialization.get_unsafe_globals_in_checkpoint(path) if g not in names]
        if unexpected:  # say all of them at once, before loading anything
            raise RuntimeError(f"{path} needs globals you did not allow: {unexpected}")
    if has["safe_globals"]:  # allowed for this call only
        with torch.serialization.safe_globals(list(allowed)):
            return torch.load(path, weights_only=True)
    if has["add_safe_globals"]:  # allowed for the rest of the process
        torch.serialization.add_safe_globals(list(allowed))
    # weights_only=True always written out: before 2.6 the default was False
    return torch.load(path, weights_only=True)


print(f"torch {torch.__version__} has: {features()}")
torch.manual_seed(0)
torch.save({"model": torch.nn.Linear(3, 2).state_dict(), "config": TrainConfig(lr=0.1, epochs=3)}, "checkpoint.pt")

try:
    load_checkpoint("checkpoint.pt")
except RuntimeError as error:
    print("without allowing TrainConfig:", error)
checkpoint = load_checkpoint("checkpoint.pt", allowed=[TrainConfig])
print("with TrainConfig allowed:", checkpoint["config"], list(checkpoint["model"]))
