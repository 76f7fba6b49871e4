"""Does onnxruntime.InferenceSession convert the model to the ORT format, as the source article says? Look."""
import os

import onnxruntime as ort
from onnx import TensorProto, helper, save

graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "relu",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])])
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)]), "model.onnx")

before = sorted(os.listdir("."))
session = ort.InferenceSession("model.onnx", providers=["CPUExecutionProvider"])
print("files before:", before)
print("files after: ", sorted(os.listdir(".")))  # the session optimises in memory and writes nothing

# Writing the optimised graph is opt-in, and it writes ONNX unless the file name ends in .ort
options = ort.SessionOptions()
options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED  # portable optimisations only
options.optimized_model_filepath = "model.ort"
ort.InferenceSession("model.onnx", options, providers=["CPUExecutionProvider"])
with open("model.ort", "rb") as f:
    print("model.ort starts with", f.read(8)[4:8], "- the ORT format's identifier")
