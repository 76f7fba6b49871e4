# Expected error: RuntimeError
# The source article saves to "./PATH/model-1.pt": torch.save does not create folders.
import torch
import torch.nn as nn

model = nn.Linear(4, 2)
torch.save(model.state_dict(), "./PATH/model-1.pt")
