import torch
import torch.nn as nn

torch.manual_seed(0)
torch.save(nn.Linear(4, 2).state_dict(), "weights.pt")


def keep_where_it_is(storage, location):
    # Called once per storage with the device tag saved in the file.
    print("  function called with location", repr(location))
    # The storage arrives on the CPU: returning it keeps it there.
    return storage


choices = ["cpu", torch.device("cpu"), {"cpu": "meta"}, keep_where_it_is]
for choice in choices:
    name = getattr(choice, "__name__", repr(choice))
    state_dict = torch.load("weights.pt", map_location=choice)
    print(f"{name:<21} -> weight on {state_dict['weight'].device}")
