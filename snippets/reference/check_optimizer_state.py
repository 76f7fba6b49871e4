"""Does the file keep the optimizer's state? After one Adam step, Adam holds a running average of the gradients
(exp_avg) for every weight. Look for the first layer's exp_avg, byte for byte, in each saved file."""
# Run after: save_every_format.py
import json
from pathlib import Path

import torch

exp_avg = torch.load("reference.pt")["fc1_exp_avg"].numpy().tobytes()
files = {"state_dict": "model_state_dict.pt", "whole_model": "model_whole.pt", "checkpoint": "checkpoint.pt",
         "torchscript": "model_scripted.pt", "onnx": "model.onnx", "safetensors": "model.safetensors",
         "export_pt2": "model.pt2", "gguf": "model.gguf", "executorch": "model.pte"}
found = {fmt: {"optimizer_state": exp_avg in Path(name).read_bytes()} for fmt, name in files.items()}
print(json.dumps(found, indent=1))
