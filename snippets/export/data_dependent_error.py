# Expected error: GuardOnDataDependentSymNode
import torch
import torch.nn as nn


class Gate(nn.Module):
    def forward(self, x):
        # a Python `if` on a tensor value: export would have to pick one branch forever
        if x.sum() > 0:
            return x * 2
        return x - 1


torch.export.export(Gate(), (torch.randn(3),))
