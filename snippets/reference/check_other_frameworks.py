"""Can something other than PyTorch use the file? Each file is opened in a new Python process in which importing
torch is made impossible, with the library other software uses for that format."""
# Run after: save_every_format.py
import json
import subprocess
import sys

import torch

reference = torch.load("reference.pt")
x, y = reference["x"].tolist(), reference["y"].tolist()

BLOCK_TORCH = "import sys; sys.modules['torch'] = None  # any 'import torch' now fails\n"
attempts = {
    "state_dict": ("pickle", "import pickle, zipfile\n"
                   "pickle.loads(zipfile.ZipFile('model_state_dict.pt').read('model_state_dict/data.pkl'))"),
    "whole_model": ("pickle", "import pickle, zipfile\n"
                    "pickle.loads(zipfile.ZipFile('model_whole.pt').read('model_whole/data.pkl'))"),
    "checkpoint": ("pickle", "import pickle, zipfile\n"
                   "pickle.loads(zipfile.ZipFile('checkpoint.pt').read('checkpoint/data.pkl'))"),
    "torchscript": ("pickle", "import pickle, zipfile\n"
                    "pickle.loads(zipfile.ZipFile('model_scripted.pt').read('model_scripted/data.pkl'))"),
    "onnx": ("onnxruntime", "import numpy as np, onnxruntime\n"
             "s = onnxruntime.InferenceSession('model.onnx')\n"
             f"out = s.run(None, {{s.get_inputs()[0].name: np.array({x}, dtype=np.float32)}})[0]\n"
             f"assert np.allclose(out, {y}, atol=1e-5)"),
    "safetensors": ("numpy", "from safetensors.numpy import load_file\n"
                    "assert load_file('model.safetensors')['fc1.weight'].shape == (16, 4)"),
    "export_pt2": ("pickle", "import pickle, zipfile\n"
                   "pickle.loads(zipfile.ZipFile('model.pt2').read('model/data/sample_inputs/model.pt'))"),
    "gguf": ("gguf", "from gguf import GGUFReader\n"
             "assert [t.name for t in GGUFReader('model.gguf').tensors][:1] == ['fc1.weight']"),
}
found = {}
for fmt, (library, code) in attempts.items():
    run = subprocess.run([sys.executable, "-c", BLOCK_TORCH + code], capture_output=True, text=True)
    errors = [line for line in run.stderr.splitlines() if "Error" in line.split(":")[0]]
    # The first error is the cause: a library may re-raise it with a message of its own.
    cause = errors[0] if run.returncode else "ok"
    print(f"{fmt} with {library}: {cause}")
    found[fmt] = {"without_torch": library if run.returncode == 0 else "none"}
print(json.dumps(found, indent=1))
