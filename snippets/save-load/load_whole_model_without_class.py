# Run after: save_whole_model.py
# Expected error: AttributeError
import torch

# No class Net in this program. weights_only=False lets pickle run,
# and pickle needs the class.
model = torch.load("whole_model.pt", weights_only=False)
