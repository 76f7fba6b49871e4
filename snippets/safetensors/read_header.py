# Run after: save_and_load.py
# Only the standard library: the format is simple enough to read by hand.
import json
import os
import struct

with open("model.safetensors", "rb") as f:
    (header_len,) = struct.unpack("<Q", f.read(8))  # 8 bytes, little-endian unsigned
    header = json.loads(f.read(header_len))

data_start = 8 + header_len  # the writer pads the JSON with spaces so this is a multiple of 8
print("header length:", header_len, "| data starts at byte", data_start, "| file size:", os.path.getsize("model.safetensors"))
for name, entry in header.items():
    print(f"{name:13} {json.dumps(entry)}")

# data_offsets are relative to the first byte after the header
begin, end = header["proj.bias"]["data_offsets"]
with open("model.safetensors", "rb") as f:
    f.seek(data_start + begin)
    raw = f.read(end - begin)
values = struct.unpack(f"<{len(raw) // 4}f", raw)  # F32 = little-endian float32
print("proj.bias from raw bytes:", [round(v, 4) for v in values])
