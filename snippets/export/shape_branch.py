import torch
import torch.nn as nn


class Center(nn.Module):
    def forward(self, x):
        # a branch on a shape, not on a value: export resolves it while tracing
        if x.shape[0] > 1:
            return x - x.mean(dim=0)  # centre over the batch when there is one
        return x


model = Center()
ep = torch.export.export(model, (torch.ones(3, 2),), dynamic_shapes={"x": {0: torch.export.Dim("batch")}})
print("ops:", [str(n.target) for n in ep.graph.nodes if n.op == "call_function"])
print("range constraints:", ep.range_constraints)

exported = ep.module()
for n in (3, 1):
    x = torch.arange(n * 2, dtype=torch.float32).reshape(n, 2)
    print(f"batch {n}: eager {model(x).tolist()}  exported {exported(x).tolist()}")
