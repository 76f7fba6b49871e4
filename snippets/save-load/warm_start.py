import torch
import torch.nn as nn


class Pretrained(nn.Module):  # trained elsewhere: 10 classes, an extra head
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(8, 16), nn.ReLU())
        self.aux = nn.Linear(16, 4)
        self.head = nn.Linear(16, 10)


class NewTask(nn.Module):  # same backbone, a new neck, 3 classes
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(8, 16), nn.ReLU())
        self.neck = nn.Linear(16, 16)
        self.head = nn.Linear(16, 3)


torch.manual_seed(0)
torch.save(Pretrained().state_dict(), "pretrained.pt")

model = NewTask()
source = torch.load("pretrained.pt")
target = model.state_dict()
# strict=False tolerates missing and extra names, not other shapes:
# drop the tensors whose shape differs first.
same_shape = {k: v for k, v in source.items()
              if k not in target or v.shape == target[k].shape}
print("dropped (shape differs):", sorted(set(source) - set(same_shape)))

result = model.load_state_dict(same_shape, strict=False)
print("missing (keep their initial values):", result.missing_keys)
print("unexpected (in the file, ignored):  ", result.unexpected_keys)
copied = torch.equal(model.backbone[0].weight, source["backbone.0.weight"])
print("backbone copied:", copied)
