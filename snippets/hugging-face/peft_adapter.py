"""A LoRA adapter with PEFT: what save_pretrained writes, and loading it onto a fresh copy of the base model."""
import json
import logging
import os
import warnings

os.environ["HF_HUB_OFFLINE"] = "1"  # never reach the Hub
os.environ["HF_HOME"] = "hf-home"  # a cache in this folder, not the user's
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
# transformers imports torchao when it is installed; keep its import-time notes out of the output
logging.getLogger("torchao").setLevel(logging.ERROR)
logging.getLogger("torch.utils._pytree").setLevel(logging.ERROR)
# peft 0.21 calls a transformers method that 5.x has renamed; the warning says nothing about adapters
warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)

import torch  # noqa: E402
from peft import LoraConfig, PeftModel, get_peft_model  # noqa: E402
from safetensors import safe_open  # noqa: E402
from transformers import LlamaConfig, LlamaForCausalLM  # noqa: E402

config = LlamaConfig(vocab_size=128, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                     num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64)
torch.manual_seed(0)
LlamaForCausalLM(config).save_pretrained("base-model")  # the base model, saved once

# an adapter: small low-rank matrices beside q_proj and v_proj (init_lora_weights=False so it changes the output,
# as a trained one would)
model = get_peft_model(LlamaForCausalLM.from_pretrained("base-model"),
                       LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], init_lora_weights=False))
model.print_trainable_parameters()
model.save_pretrained("my-adapter")
for name in sorted(os.listdir("my-adapter")):
    print(f"  {name:28} {os.path.getsize(os.path.join('my-adapter', name)):>6} bytes")

with open("my-adapter/adapter_config.json") as f:
    adapter_config = json.load(f)
for key in ("peft_type", "r", "lora_alpha", "target_modules", "base_model_name_or_path", "auto_mapping",
            "peft_version"):
    value = adapter_config[key]
    print(f"  adapter_config.json {key}: {sorted(value) if key == 'target_modules' else value}")  # a set inside peft
with safe_open("my-adapter/adapter_model.safetensors", framework="pt") as f:
    keys = sorted(f.keys())
    print(f"  adapter_model.safetensors: {len(keys)} tensors, metadata {f.metadata()}")
    for key in keys[:2]:
        print(f"    {key} {f.get_slice(key).get_shape()}")

# loading: a fresh base model from its own folder, then the adapter on top
ids = torch.tensor([[1, 5, 9, 3]])
model.eval()
with torch.no_grad():
    before = model(ids).logits
base = LlamaForCausalLM.from_pretrained("base-model")
with torch.no_grad():
    plain = base(ids).logits
loaded = PeftModel.from_pretrained(base, "my-adapter")
loaded.eval()
with torch.no_grad():
    after = loaded(ids).logits
print("the base alone gives other logits:", not torch.equal(plain, before))
print("base + loaded adapter gives the same logits:", torch.equal(after, before))
merged = loaded.merge_and_unload()  # fold the adapter into the base weights: a plain LlamaForCausalLM again
with torch.no_grad():
    print("merged:", type(merged).__name__, "logits equal to 1e-5:", torch.allclose(merged(ids).logits, before, atol=1e-5))
