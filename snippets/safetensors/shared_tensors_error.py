import torch.nn as nn
from safetensors.torch import save_file


class TiedLM(nn.Module):
    def __init__(self, vocab=50, dim=8):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.head = nn.Linear(dim, vocab, bias=False)
        self.head.weight = self.embed.weight  # weight tying: one tensor, two names


model = TiedLM()
sd = model.state_dict()
print("same storage:", sd["embed.weight"].data_ptr() == sd["head.weight"].data_ptr())
try:
    save_file(sd, "tied.safetensors")
except RuntimeError as err:
    lines = [line.strip() for line in str(err).strip().splitlines()]
    # The message then lists the names from a Python set, in an order that changes from run to run.
    print("RuntimeError:", lines[0].split(": [")[0])
    print(*lines[1:], sep="\n")
