# Run after: save_and_load.py
from safetensors import safe_open

# safe_open maps the file and reads only what you ask for
with safe_open("model.safetensors", framework="pt", device="cpu") as f:
    print("keys:", f.keys())
    print("metadata:", f.metadata())

    bias = f.get_tensor("proj.bias")  # one whole tensor
    print("proj.bias:", [round(v, 4) for v in bias.tolist()])

    rows = f.get_slice("embed.weight")  # nothing read yet
    print("embed.weight:", rows.get_dtype(), rows.get_shape())
    part = rows[2:4]  # reads the bytes of rows 2 and 3 only
    print("rows 2..3:", tuple(part.shape), [round(v, 4) for v in part[0, :3].tolist()])
