"""The files beside the weights: a tokenizer trained here on three sentences, and a generation config."""
import json
import logging
import os

os.environ["HF_HUB_OFFLINE"] = "1"  # never reach the Hub
os.environ["HF_HOME"] = "hf-home"  # a cache in this folder, not the user's
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
# transformers imports torchao when it is installed; keep its import-time notes out of the output
logging.getLogger("torchao").setLevel(logging.ERROR)
logging.getLogger("torch.utils._pytree").setLevel(logging.ERROR)

import torch  # noqa: E402
from tokenizers import Tokenizer, models, pre_tokenizers, trainers  # noqa: E402
from transformers import (  # noqa: E402
    AutoModelForCausalLM, AutoTokenizer, GenerationConfig, GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast)

# a word-level tokenizer from the tokenizers library, wrapped for transformers
backend = Tokenizer(models.WordLevel(unk_token="[UNK]"))
backend.pre_tokenizer = pre_tokenizers.Whitespace()
backend.train_from_iterator(["save the model", "load the model", "the weights of the model"],
                            trainers.WordLevelTrainer(special_tokens=["[UNK]", "[PAD]", "<s>", "</s>"]))
tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, unk_token="[UNK]", pad_token="[PAD]",
                                    bos_token="<s>", eos_token="</s>")
print("PreTrainedTokenizerFast is now", type(tokenizer).__name__, "- vocabulary:", len(tokenizer), "tokens")

config = GPT2Config(vocab_size=len(tokenizer), n_embd=32, n_layer=2, n_head=2, n_positions=64,
                    bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                    pad_token_id=tokenizer.pad_token_id)
torch.manual_seed(0)
model = GPT2LMHeadModel(config)
model.generation_config = GenerationConfig(max_new_tokens=4, do_sample=False, bos_token_id=tokenizer.bos_token_id,
                                           eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id)

model.save_pretrained("tiny-gpt2")
tokenizer.save_pretrained("tiny-gpt2")  # same folder: one folder holds everything from_pretrained needs
for name in sorted(os.listdir("tiny-gpt2")):
    print(f"  {name:24} {os.path.getsize(os.path.join('tiny-gpt2', name)):>7} bytes")
for name in ("tokenizer_config.json", "generation_config.json"):
    print(f"{name}:", json.dumps(json.load(open(f"tiny-gpt2/{name}")), sort_keys=True))
with open("tiny-gpt2/tokenizer.json") as f:
    saved = json.load(f)
print("tokenizer.json:", sorted(saved), "- model type:", saved["model"]["type"])
print("  special tokens:", [(t["content"], t["id"]) for t in saved["added_tokens"]])

# loading both back from the folder alone
tokenizer = AutoTokenizer.from_pretrained("tiny-gpt2")
model = AutoModelForCausalLM.from_pretrained("tiny-gpt2")
ids = tokenizer("load the weights", return_tensors="pt").input_ids
print("AutoTokenizer:", type(tokenizer).__name__, "- 'load the weights' ->", ids.tolist()[0])
print("generation_config read back: max_new_tokens", model.generation_config.max_new_tokens,
      "do_sample", model.generation_config.do_sample)
out = model.generate(ids)  # uses those settings: greedy, at most 4 new tokens
print("generate added", out.shape[1] - ids.shape[1], "tokens")
