# Run after: onnx_structure.py
import os

import onnx

# Large models keep their weights outside the protobuf (a protobuf message cannot exceed 2 GB).
# size_threshold=0 moves even our tiny tensors out, to show what it looks like.
model = onnx.load("net.onnx")
onnx.save_model(model, "net_ext.onnx", save_as_external_data=True, all_tensors_to_one_file=True,
                location="net_ext.onnx.data", size_threshold=0)
print("net_ext.onnx.data:", os.path.getsize("net_ext.onnx.data"), "bytes")

# Read the graph only: each initializer now says where its bytes are.
model = onnx.load("net_ext.onnx", load_external_data=False)
for tensor in model.graph.initializer:
    entries = {entry.key: entry.value for entry in tensor.external_data}
    print(f"{tensor.name}: data_location={onnx.TensorProto.DataLocation.Name(tensor.data_location)} "
          f"raw_data={len(tensor.raw_data)} bytes external_data={entries}")
