"""Which ONNX IR version and opset an export writes, and which the installed onnxruntime runs: found by asking
it to load one-node models stamped with each version, not read from a table."""
import re

import onnx
import onnxruntime
import torch
from onnx import TensorProto, helper

onnxruntime.set_default_logger_severity(3)  # errors only: no warnings about old opsets on stderr

torch.manual_seed(0)
torch.onnx.export(torch.nn.Linear(3, 2).eval(), (torch.randn(1, 3),), "model.onnx",
                  external_data=False, verbose=False)
exported = onnx.load("model.onnx")
opsets = {o.domain or "ai.onnx": o.version for o in exported.opset_import}
print(f"model.onnx from torch {torch.__version__}: IR version {exported.ir_version}, opsets {opsets}")
print(f"onnx {onnx.__version__} writes and checks up to: IR version {onnx.IR_VERSION}, "
      f"opset {onnx.defs.onnx_opset_version()}")


def one_node_model(opset, ir_version):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g", [x], [y])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                             ir_version=ir_version).SerializeToString()


def refusal(opset, ir_version):
    """None if onnxruntime loads the model, else its message without the C++ file and function it came from."""
    try:
        onnxruntime.InferenceSession(one_node_model(opset, ir_version))
        return None
    except Exception as error:
        return re.sub(r" : /\S+ .*?\) (?=[A-Z])", " : ", str(error).strip(), count=1)


opset, ir_version = opsets["ai.onnx"], exported.ir_version
while refusal(opset + 1, ir_version) is None:
    opset += 1
while refusal(opset, ir_version + 1) is None:
    ir_version += 1
print(f"onnxruntime {onnxruntime.__version__} runs up to: IR version {ir_version}, opset {opset}")
print(f"opset {opset + 1}:", refusal(opset + 1, ir_version))
print(f"IR version {ir_version + 1}:", refusal(opset, ir_version + 1))
