# The versions every example on this site was executed with, on the last build.
import sys
from importlib.metadata import version

import torch

# The Python line, not its patch release: the pins cover the packages, and machines (CI included) differ in the patch.
print(f"Python       {sys.version_info.major}.{sys.version_info.minor}")
print(f"torch        {torch.__version__}")
for package in ("onnx", "onnxruntime", "onnxscript", "safetensors", "numpy"):
    print(f"{package:<12} {version(package)}")
