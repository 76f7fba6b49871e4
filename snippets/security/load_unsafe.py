# Run after: load_refused.py
import os

import torch

print("marker before loading:", os.path.exists("i_ran.txt"))
# weights_only=False hands the file to the full pickle machinery: the payload runs during load.
checkpoint = torch.load("suspicious.pt", weights_only=False)
print("marker after loading: ", os.path.exists("i_ran.txt"))
print("marker says:", open("i_ran.txt").read().strip())
print("keys:", sorted(checkpoint))
print("note:", checkpoint["note"])
