"""Can a program with no Python in it load the file? Node.js reads the safetensors file with nothing but its
standard library (an 8-byte header length, a JSON header, raw little-endian numbers), and must find the same
weights PyTorch saved."""
# Run after: save_every_format.py
import json
import subprocess
from pathlib import Path

import torch

READER_JS = r"""
const fs = require("fs");
const buf = fs.readFileSync(process.argv[2]);
const headerLength = Number(buf.readBigUInt64LE(0));
const header = JSON.parse(buf.subarray(8, 8 + headerLength).toString("utf8"));
const info = header["fc1.weight"];
const [start, end] = info.data_offsets.map((o) => 8 + headerLength + o);
const values = [];
for (let at = start; at < end; at += 4) values.push(buf.readFloatLE(at));
console.log(JSON.stringify({dtype: info.dtype, shape: info.shape, values}));
"""
Path("read_safetensors.js").write_text(READER_JS)
read = json.loads(subprocess.run(["node", "read_safetensors.js", "model.safetensors"],
                                 capture_output=True, text=True, check=True).stdout)
weight = torch.load("reference.pt")["fc1_weight"]
same = read["shape"] == list(weight.shape) and torch.equal(torch.tensor(read["values"]).view_as(weight), weight)
print(f"Node.js read {read['dtype']} {read['shape']} from model.safetensors; equal to PyTorch's weights: {same}")
print(json.dumps({"safetensors": {"without_python": "nodejs" if same else "failed"}}, indent=1))
