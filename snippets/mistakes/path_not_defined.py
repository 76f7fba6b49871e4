# Expected error: NameError
# The source article's loading code, as printed: it loads from PATH, which it never defines.
import torch
import torch.nn as nn

model = nn.Linear(4, 2)
model.load_state_dict(torch.load(PATH))
