# Run after: export_save.py
import torch

# No Classifier class here either: the .pt2 archive holds the graph and the weights.
exported = torch.export.load("classifier.pt2")
model = exported.module()
with torch.no_grad():
    print(model(torch.ones(1, 4)))  # both branches still work
    print(model(-torch.ones(1, 4)))
print(exported.graph_signature)
