import torch
import torch.nn as nn


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        logits = self.fc(x)
        # torch.cond records both branches; a Python `if` on a tensor would make export fail.
        return torch.cond(logits.sum() > 0, lambda t: t * 2, lambda t: t - 100, (logits,))


torch.manual_seed(0)
model = Classifier().eval()
exported = torch.export.export(model, (torch.ones(1, 4),))
torch.export.save(exported, "classifier.pt2")
with torch.no_grad():
    print(exported.module()(torch.ones(1, 4)))
    print(exported.module()(-torch.ones(1, 4)))
