import warnings

import torch
import torch.nn as nn

# Python hides DeprecationWarnings raised inside a library; show them, as pytest would.
warnings.simplefilter("default", DeprecationWarning)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        logits = self.fc(x)
        if logits.sum() > 0:
            return logits * 2
        return logits - 100


torch.manual_seed(0)
model = Classifier().eval()
scripted = torch.jit.script(model)
torch.jit.save(scripted, "classifier_scripted.pt")  # code + weights in one zip archive
with torch.no_grad():
    print(scripted(torch.ones(1, 4)))
    print(scripted(-torch.ones(1, 4)))
