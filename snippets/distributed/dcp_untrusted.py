# Run after: dcp_save.py
"""A DCP folder from someone else: its .metadata is read with plain pickle, so it can run code on load."""
import os
import pickle
import shutil
import warnings

import torch
import torch.distributed.checkpoint as dcp
import torch.nn as nn
from torch.distributed.checkpoint.api import CheckpointException


class Payload:
    def __reduce__(self):
        # Harmless stand-in: unpickling calls open("PAYLOAD_RAN", "w"). Any function could stand here.
        return (open, ("PAYLOAD_RAN", "w"))


shutil.rmtree("downloaded", ignore_errors=True)
shutil.copytree("checkpoint", "downloaded")  # pretend this folder came from the internet...
with open("downloaded/.metadata", "wb") as f:  # ...and someone replaced one file in it
    pickle.dump(Payload(), f)

# The single-process notice dcp_load_single.py shows; torch prints it once per process, so hide it here.
warnings.filterwarnings("ignore", message="torch.distributed is disabled")
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
try:
    dcp.load({"model": model.state_dict()}, checkpoint_id="downloaded")
except CheckpointException as error:  # a BaseException: the load fails, after the pickle ran
    print("dcp.load raised", type(error).__name__, "- the cause:", str(error).strip().splitlines()[-1])
print("payload ran:", os.path.exists("PAYLOAD_RAN"))
