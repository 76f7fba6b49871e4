import json
import struct

import torch
from safetensors.torch import save_file

torch.manual_seed(0)
save_file({"fc.weight": torch.randn(2, 3), "fc.bias": torch.zeros(2)}, "net.safetensors",
          metadata={"format": "pt", "trained_by": "me"})

# The whole format: 8 bytes (little-endian length N), N bytes of JSON, then the raw tensor bytes.
with open("net.safetensors", "rb") as f:
    first8 = f.read(8)
    (header_length,) = struct.unpack("<Q", first8)
    header = json.loads(f.read(header_length))
    data = f.read()
print("first 8 bytes:", first8.hex(" "), "->", header_length)
# sort_keys: the order of the __metadata__ entries in the file can change from one save to the next.
for key, value in sorted(header.items()):
    print(f"{key}: {json.dumps(value, sort_keys=True)}")
print("tensor bytes after the header:", len(data))
