"""What transformers 5.x's save_pretrained writes for a tiny Llama built from a config (nothing downloaded)."""
import inspect
import json
import logging
import os

os.environ["HF_HUB_OFFLINE"] = "1"  # never reach the Hub
os.environ["HF_HOME"] = "hf-home"  # a cache in this folder, not the user's
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
# transformers imports torchao when it is installed; keep its import-time notes out of the output
logging.getLogger("torchao").setLevel(logging.ERROR)
logging.getLogger("torch.utils._pytree").setLevel(logging.ERROR)

import huggingface_hub  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from safetensors import safe_open  # noqa: E402
from transformers import LlamaConfig, LlamaForCausalLM  # noqa: E402


def show(folder):
    for name in sorted(os.listdir(folder)):
        print(f"  {name:40} {os.path.getsize(os.path.join(folder, name)):>7} bytes")


print("transformers", transformers.__version__, "/ huggingface_hub", huggingface_hub.__version__)
signature = inspect.signature(LlamaForCausalLM.save_pretrained)
print("default max_shard_size:", signature.parameters["max_shard_size"].default)
print("safe_serialization is a parameter:", "safe_serialization" in signature.parameters)

config = LlamaConfig(vocab_size=128, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                     num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64)
torch.manual_seed(0)
model = LlamaForCausalLM(config)

model.save_pretrained("tiny-llama")
print("save_pretrained('tiny-llama'):")
show("tiny-llama")
with open("tiny-llama/config.json") as f:
    saved = json.load(f)
for key in ("architectures", "model_type", "dtype", "hidden_size", "num_hidden_layers", "tie_word_embeddings",
            "transformers_version"):
    print(f"  config.json {key}: {saved[key]}")
with safe_open("tiny-llama/model.safetensors", framework="pt") as f:
    print("  model.safetensors:", len(f.keys()), "tensors, metadata", f.metadata())

# the old switch to pickle is gone from the signature; passed anyway, it changes nothing
model.save_pretrained("asked-for-bin", safe_serialization=False)
print("save_pretrained(..., safe_serialization=False):", sorted(os.listdir("asked-for-bin")))

# a small shard budget shows the index
model.save_pretrained("sharded", max_shard_size="20KB")
print("save_pretrained(..., max_shard_size='20KB'):")
show("sharded")
with open("sharded/model.safetensors.index.json") as f:
    index = json.load(f)
print("  index keys:", sorted(index), "metadata:", index["metadata"])
print("  total_size = 4 bytes x total_parameters:", index["metadata"]["total_size"] == 4 * sum(
    p.numel() for p in model.parameters()))
shard_of = index["weight_map"]
for name in ("model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight", "lm_head.weight"):
    print(f"  weight_map[{name!r}] = {shard_of[name]!r}")

# huggingface_hub plans shards the same way, with its own default budget
hub_default = inspect.signature(huggingface_hub.split_torch_state_dict_into_shards).parameters["max_shard_size"].default
plan = huggingface_hub.split_torch_state_dict_into_shards(model.state_dict(), max_shard_size="20KB")
print("huggingface_hub.split_torch_state_dict_into_shards default max_shard_size:", hub_default)
print("  plan for 20KB:", len(plan.filename_to_tensors), "files, metadata", plan.metadata)

# a variant is a label in the file names; the dtype is whatever you saved
model.to(torch.float16).save_pretrained("variant", variant="fp16")
print("save_pretrained(..., variant='fp16') of a float16 model:", sorted(os.listdir("variant")))
model.save_pretrained("variant-sharded", variant="fp16", max_shard_size="20KB")
print("  sharded:", sorted(os.listdir("variant-sharded")))
loaded = LlamaForCausalLM.from_pretrained("variant", variant="fp16")
print("  from_pretrained(..., variant='fp16') dtype:", loaded.dtype)
try:
    LlamaForCausalLM.from_pretrained("variant")
except OSError as error:
    print("  from_pretrained without variant:", error)
