import torch
import torch.nn as nn
from torch.nn.modules.utils import consume_prefix_in_state_dict_if_present


def build():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))


torch.manual_seed(0)
model = build()
# Without GPUs, DataParallel just holds the module.
wrapped = nn.DataParallel(model)
# torch.compile compiles on the first call: nothing is compiled here.
compiled = torch.compile(model)
print("plain model:  ", list(model.state_dict()))
print("DataParallel: ", list(wrapped.state_dict()))
print("torch.compile:", list(compiled.state_dict()))

for wrapper, prefix in [(wrapped, "module."), (compiled, "_orig_mod.")]:
    state_dict = wrapper.state_dict()
    # Renames the keys in place.
    consume_prefix_in_state_dict_if_present(state_dict, prefix)
    print(f"stripped {prefix!r:<12}", list(state_dict))
    print("  loads into a plain model:", build().load_state_dict(state_dict))

# Or never write the prefix: save the inner module's state_dict.
print("wrapped.module is model:", wrapped.module is model)
print("compiled._orig_mod is model:", compiled._orig_mod is model)
