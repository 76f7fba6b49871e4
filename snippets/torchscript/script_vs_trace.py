import torch
import torch.nn as nn


class Gate(nn.Module):
    def forward(self, x):
        if x.sum() > 0:  # decided by the values in x, not by its shape
            return x * 2
        return x - 100


gate = Gate()
scripted = torch.jit.script(gate)  # compiles the Python source: the if survives
traced = torch.jit.trace(gate, torch.ones(3))  # records one run: ones took the first branch

negative = -torch.ones(3)
print("eager:   ", gate(negative))
print("scripted:", scripted(negative))
print("traced:  ", traced(negative))  # wrong, and no error
print("--- traced.code ---")
print(traced.code)
print("--- scripted.code ---")
print(scripted.code)
