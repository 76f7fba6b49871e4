import torch
import torch.nn as nn

torch.manual_seed(0)
trained = nn.Linear(4, 2)
# nn.DataParallel and DistributedDataParallel save keys with a "module." prefix.
saved = {"module." + key: value for key, value in trained.state_dict().items()}

model = nn.Linear(4, 2)
result = model.load_state_dict(saved, strict=False)  # no error...
print(result)  # ...because nothing matched, so nothing was loaded
print("weights loaded:", torch.equal(model.weight, trained.weight))

# Fix the keys instead of silencing the check.
result = model.load_state_dict({key.removeprefix("module."): value for key, value in saved.items()})
print(result)
print("weights loaded:", torch.equal(model.weight, trained.weight))
