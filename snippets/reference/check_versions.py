"""Behaviour that changed between PyTorch releases, checked on the installed version: what it does now, and
what its own messages and documentation say about when that changed."""
import inspect
import io
import json
import re
import warnings

import torch
import torch.nn as nn

found = {"torch": torch.__version__.split("+")[0]}

# 1. torch.load defaults to weights_only=True: a pickled module (not just tensors) is refused.
buffer = io.BytesIO()
torch.save(nn.Linear(2, 2), buffer)
buffer.seek(0)
try:
    torch.load(buffer)
    refused, message = False, ""
except Exception as error:  # noqa: BLE001
    refused, message = True, str(error)
said = re.search(r"In PyTorch (\d+\.\d+), we changed the default value of the `weights_only`", message)
found["weights_only_default"] = {"now": "True" if refused else "False", "torch_says": said and said.group(1)}

# 2. torch.onnx.export uses the torch.export-based ("dynamo") exporter unless told otherwise.
default = inspect.signature(torch.onnx.export).parameters["dynamo"].default
said = re.search(r"versionchanged:: (\d+\.\d+)\s+``dynamo`` is now True by default", torch.onnx.export.__doc__)
found["onnx_dynamo_default"] = {"now": str(default), "torch_says": said and said.group(1)}

# 3. TorchScript: torch's own docstrings say since when it is deprecated, and every call warns.
said = re.search(r"\.\. deprecated:: (\d+\.\d+)\s+TorchScript is deprecated", torch.jit.fork.__doc__)
found["torchscript_deprecated"] = {"now": "documented" if said else "not documented", "torch_says": said and said.group(1)}
print("torch.jit.fork's docstring:", said and said.group(0).split("\n")[0])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    torch.jit.script(nn.Linear(2, 2))
deprecated = [w for w in caught if issubclass(w.category, DeprecationWarning) and "deprecated" in str(w.message)]
found["torchscript_warns"] = {"now": "warns" if deprecated else "silent", "torch_says": None}
print("torch.jit.script warns:", deprecated[0].message if deprecated else None)

# 4. torch.load(mmap=True) exists and maps the file instead of reading it.
has_mmap = "mmap" in inspect.signature(torch.load).parameters
found["load_mmap"] = {"now": "available" if has_mmap else "missing", "torch_says": None}

print(json.dumps(found, indent=1))
