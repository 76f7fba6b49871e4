# Expected error: ModuleNotFoundError
"""torch.onnx.export on a machine where onnxscript is not installed (simulated: this program hides it)."""
import importlib.abc
import sys


class NotInstalled(importlib.abc.MetaPathFinder):
    """Makes `import onnxscript` fail exactly as it does when the package is missing."""

    def find_spec(self, name, path=None, target=None):
        if name == "onnxscript" or name.startswith("onnxscript."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, NotInstalled())
for name in [n for n in sys.modules if n == "onnxscript" or n.startswith("onnxscript.")]:
    del sys.modules[name]

import torch  # noqa: E402  (after the finder, so torch cannot have imported onnxscript already)
import torch.nn as nn  # noqa: E402

model = nn.Linear(4, 2).eval()
torch.onnx.export(model, (torch.randn(1, 4),), "model.onnx")
