"""Is it safe to open a file from an untrusted source? Put a harmless payload (it only creates a file named
PAYLOAD_RAN) into a file of each format, open it the way that format is opened, and see whether the payload ran.
The same payload bytes given to pickle do run: that is the control."""
import io
import json
import logging
import os
import pickle
import warnings
import zipfile
from pathlib import Path

warnings.filterwarnings("ignore", category=DeprecationWarning)  # TorchScript's deprecation notice
warnings.filterwarnings("ignore", category=FutureWarning)  # torch.export's notice about an internal API
# ExecuTorch imports torchao, which logs that its CUDA-only kernels cannot load on this CPU machine and registers
# an Enum the way torch 2.13 deprecates (set before the imports that log it)
logging.getLogger("torchao").setLevel(logging.ERROR)
logging.getLogger("torch.utils._pytree").setLevel(logging.ERROR)

import gguf
import numpy as np
import onnx
import onnxruntime
import torch
import torch.nn as nn
from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
from executorch.exir import to_edge_transform_and_lower
from executorch.runtime import Runtime
from safetensors.torch import load_file, save_file

logging.disable(logging.WARNING)  # torch.export logs (with a broken format string) when it falls back
onnxruntime.set_default_logger_severity(3)  # ONNX Runtime would warn, with a timestamp, about the unused payload
torch.manual_seed(0)


class Payload:
    def __reduce__(self):
        # Unpickling calls open("PAYLOAD_RAN", "w"): any function with any arguments could stand here.
        return (open, ("PAYLOAD_RAN", "w"))


PAYLOAD = pickle.dumps(Payload(), protocol=2)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3)).eval()
x = torch.randn(2, 4)
as_uint8 = torch.frombuffer(bytearray(PAYLOAD), dtype=torch.uint8)


class WithPayload(nn.Module):
    """The model plus the payload's bytes as a constant tensor it reads, so that lowering keeps them."""

    def __init__(self, model, payload):
        super().__init__()
        self.model = model
        self.register_buffer("payload", payload)

    def forward(self, x):
        return self.model(x) + self.payload[:1].to(x.dtype) * 0


def replace_member(path, suffix, data):
    """Rewrite a zip archive with the member whose name ends in `suffix` replaced by `data`."""
    with zipfile.ZipFile(path) as old:
        members = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w") as new:
        for info, content in members:
            new.writestr(info, data if info.filename.endswith(suffix) else content)


def make_files():
    """One file per format with the payload inside, where that format's loader would meet it."""
    torch.save({"fc.weight": torch.ones(2), "extra": Payload()}, "state_dict.pt")  # pickled next to tensors
    torch.save({"model_state_dict": {"fc.weight": torch.ones(2)}, "extra": Payload()}, "checkpoint.pt")
    torch.save(Payload(), "whole_model.pt")
    torch.jit.save(torch.jit.trace(model, x), "scripted.pt")
    replace_member("scripted.pt", "/data.pkl", PAYLOAD)  # TorchScript's own pickle
    torch.export.save(torch.export.export(model, (x,)), "model.pt2")
    sample_inputs = io.BytesIO()
    torch.save({"x": Payload()}, sample_inputs)
    replace_member("model.pt2", "/sample_inputs/model.pt", sample_inputs.getvalue())  # a torch.save pickle
    torch.onnx.export(model, (x,), "model.onnx", external_data=False, verbose=False)
    proto = onnx.load("model.onnx")  # ONNX has no pickle: carry the payload as data and as metadata
    proto.graph.initializer.append(onnx.numpy_helper.from_array(np.frombuffer(PAYLOAD, np.uint8), "payload"))
    onnx.helper.set_model_props(proto, {"payload": PAYLOAD.hex()})
    onnx.save(proto, "model.onnx")
    save_file({"payload": as_uint8, "fc.weight": torch.ones(2)}, "model.safetensors",
              metadata={"payload": PAYLOAD.hex()})
    writer = gguf.GGUFWriter("model.gguf", arch="demo")
    writer.add_string("payload", PAYLOAD.hex())
    writer.add_tensor("payload", np.frombuffer(PAYLOAD, np.int8).copy())
    writer.write_header_to_file(); writer.write_kv_data_to_file(); writer.write_tensors_to_file(); writer.close()
    # ExecuTorch's .pte has no pickle either (a FlatBuffers program): carry the payload as a constant's bytes
    lowered = to_edge_transform_and_lower(torch.export.export(WithPayload(model, as_uint8.clone()), (x,)),
                                          partitioner=[XnnpackPartitioner()])
    Path("model.pte").write_bytes(lowered.to_executorch().buffer)
    assert PAYLOAD in Path("model.pte").read_bytes(), "model.pte: the payload's bytes were not kept"


# How each format is opened (the whole model cannot be opened with weights_only=True at all).
opens = {
    "state_dict": lambda: torch.load("state_dict.pt"),
    "whole_model": lambda: torch.load("whole_model.pt", weights_only=False),
    "checkpoint": lambda: torch.load("checkpoint.pt"),
    "torchscript": lambda: torch.jit.load("scripted.pt"),
    "onnx": lambda: onnxruntime.InferenceSession("model.onnx"),
    "safetensors": lambda: load_file("model.safetensors"),
    "export_pt2": lambda: torch.export.load("model.pt2"),
    "gguf": lambda: gguf.GGUFReader("model.gguf"),
    "executorch": lambda: Runtime.get().load_program("model.pte").load_method("forward").execute([x]),
}

pickle.loads(PAYLOAD)  # the control: plain pickle runs the payload
print("plain pickle.loads ran the payload:", os.path.exists("PAYLOAD_RAN"))
os.remove("PAYLOAD_RAN")
make_files()
found = {}
for fmt, open_ in opens.items():
    try:
        open_()
        outcome = "opened"
    except Exception as error:  # noqa: BLE001 - refusing the file is a fine outcome here
        outcome = f"refused ({type(error).__name__})"
    ran = os.path.exists("PAYLOAD_RAN")
    print(f"{fmt}: {outcome}; payload ran: {ran}")
    found[fmt] = {"payload_ran": ran}
    if ran:
        os.remove("PAYLOAD_RAN")
print(json.dumps(found, indent=1))
