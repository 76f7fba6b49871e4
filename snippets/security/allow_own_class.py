import dataclasses

import torch
from torch.serialization import add_safe_globals, get_safe_globals, get_unsafe_globals_in_checkpoint, safe_globals


@dataclasses.dataclass
class TrainConfig:
    lr: float
    epochs: int


torch.save({"weight": torch.ones(2), "config": TrainConfig(lr=0.01, epochs=3)}, "ckpt.pt")
print("needs allowing:", get_unsafe_globals_in_checkpoint("ckpt.pt"))

# Allow the class for the loads inside the block only.
with safe_globals([TrainConfig]):
    print("inside the block:", get_unsafe_globals_in_checkpoint("ckpt.pt"))
    print(torch.load("ckpt.pt")["config"])
print("allowed after the block:", TrainConfig in get_safe_globals())

# Allow it for the rest of the process.
add_safe_globals([TrainConfig])
print(torch.load("ckpt.pt")["config"])
print("allowed now:", TrainConfig in get_safe_globals())
