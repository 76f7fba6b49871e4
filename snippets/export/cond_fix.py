import torch
import torch.nn as nn


class Gate(nn.Module):
    def forward(self, x):
        # torch.cond keeps both branches in the graph and picks one at run time
        return torch.cond(x.sum() > 0, lambda t: t * 2, lambda t: t - 1, (x,))


ep = torch.export.export(Gate(), (torch.randn(3),))
print([str(node.target) for node in ep.graph.nodes if node.op == "call_function"])

torch.export.save(ep, "gate.pt2")
gate = torch.export.load("gate.pt2").module()
print("positive:", gate(torch.ones(3)).tolist())
print("negative:", gate(-torch.ones(3)).tolist())
