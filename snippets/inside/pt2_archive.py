import json
import zipfile

import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        return torch.relu(self.fc(x))


torch.manual_seed(0)
program = torch.export.export(Net(), (torch.randn(1, 3),))
torch.export.save(program, "net.pt2")

with zipfile.ZipFile("net.pt2") as archive:
    for member in archive.infolist():
        print(member.filename)
    print("archive_format:", archive.read("net/archive_format").decode())
    # Weights are raw bytes, described by a JSON table (use_pickle false: no pickle to run).
    weights = json.loads(archive.read("net/data/weights/model_weights_config.json"))["config"]
    for fqn, entry in weights.items():
        sizes = [s["as_int"] for s in entry["tensor_meta"]["sizes"]]
        print(f"{fqn}: file {entry['path_name']}, sizes {sizes}, use_pickle {entry['use_pickle']}")
    # The graph is JSON too: a list of ATen operator calls.
    graph = json.loads(archive.read("net/models/model.json"))["graph_module"]["graph"]
    print("graph nodes:", [node["target"] for node in graph["nodes"]])
