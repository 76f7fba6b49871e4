"""The operators in an exported graph: ATen as exported, Core ATen after run_decompositions()."""
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return nn.functional.gelu(self.fc(x)).softmax(dim=-1)


def operators(program):
    return [str(node.target) for node in program.graph.nodes if node.op == "call_function"]


program = torch.export.export(Net().eval(), (torch.randn(3, 4),))
print("as exported:              ", operators(program))
core = program.run_decompositions()  # the default table lowers to Core ATen
print("after run_decompositions():", operators(core))
