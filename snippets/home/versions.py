# The versions every example on this site was executed with, on the last build.
import platform
from importlib.metadata import version

import torch

print(f"Python       {platform.python_version()}")
print(f"torch        {torch.__version__}")
for package in ("onnx", "onnxruntime", "onnxscript", "safetensors", "numpy"):
    print(f"{package:<12} {version(package)}")
