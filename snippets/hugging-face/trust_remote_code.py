"""A model folder whose config.json points at Python code in the folder: transformers imports that code only with
trust_remote_code=True. This one is harmless (it writes marker.txt in the current folder); a real one could do
anything your account can."""
import json
import logging
import os

os.environ["HF_HUB_OFFLINE"] = "1"  # never reach the Hub
os.environ["HF_HOME"] = "hf-home"  # transformers copies the folder's code under here before importing it
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
# transformers imports torchao when it is installed; keep its import-time notes out of the output
logging.getLogger("torchao").setLevel(logging.ERROR)
logging.getLogger("torch.utils._pytree").setLevel(logging.ERROR)

import torch  # noqa: E402
from safetensors.torch import save_file  # noqa: E402
from transformers import AutoModel  # noqa: E402

MODELING = '''
import pathlib

pathlib.Path("marker.txt").write_text("modeling_tiny.py ran\\n")  # runs at import, before any model exists

import torch
from transformers import PreTrainedConfig, PreTrainedModel


class TinyConfig(PreTrainedConfig):
    model_type = "tiny-remote"

    def __init__(self, hidden_size=8, **kwargs):
        self.hidden_size = hidden_size
        super().__init__(**kwargs)


class TinyModel(PreTrainedModel):
    config_class = TinyConfig

    def __init__(self, config):
        super().__init__(config)
        self.linear = torch.nn.Linear(config.hidden_size, config.hidden_size)
        self.post_init()

    def forward(self, x):
        return self.linear(x)
'''

os.makedirs("remote-model", exist_ok=True)
with open("remote-model/modeling_tiny.py", "w") as f:
    f.write(MODELING)
config = {
    "model_type": "tiny-remote",
    "hidden_size": 8,
    "auto_map": {"AutoConfig": "modeling_tiny.TinyConfig", "AutoModel": "modeling_tiny.TinyModel"},
}
with open("remote-model/config.json", "w") as f:
    json.dump(config, f, indent=2)
torch.manual_seed(0)
save_file({"linear.weight": torch.randn(8, 8), "linear.bias": torch.zeros(8)}, "remote-model/model.safetensors",
          metadata={"format": "pt"})
print("remote-model:", sorted(os.listdir("remote-model")))

# default trust_remote_code=None: in a terminal transformers asks (y/N, 15 s); with no terminal to ask it refuses
try:
    AutoModel.from_pretrained("remote-model")
except ValueError as error:
    print(f"\nwithout trust_remote_code: {type(error).__name__}: {error}\n")
print("marker.txt exists:", os.path.exists("marker.txt"))

model = AutoModel.from_pretrained("remote-model", trust_remote_code=True)
print("with trust_remote_code=True:", type(model).__module__ + "." + type(model).__name__)
print("marker.txt exists:", os.path.exists("marker.txt"), "-", open("marker.txt").read().strip())
copied = sorted(os.path.relpath(os.path.join(d, n)) for d, _, names in os.walk("hf-home") for n in names
                if n == "modeling_tiny.py")
print("imported from a copy:", copied)
