import gguf
import torch
from gguf import GGMLQuantizationType

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(64, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))

writer = gguf.GGUFWriter("tiny.gguf", arch="tinymlp")  # writes general.architecture = "tinymlp"
writer.add_name("tiny-mlp")
writer.add_uint32("tinymlp.hidden_size", 8)            # keys are namespaced by architecture
writer.add_string("tinymlp.activation", "relu")
for name, tensor in model.state_dict().items():
    data = tensor.numpy()
    if name == "0.weight":
        # Quantize the big matrix to Q8_0: blocks of 32 int8 values sharing one float16 scale.
        writer.add_tensor(name, gguf.quants.quantize(data, GGMLQuantizationType.Q8_0),
                          raw_dtype=GGMLQuantizationType.Q8_0)
    else:
        writer.add_tensor(name, data)                   # small tensors stay float32
writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()
print("wrote tiny.gguf:", len(model.state_dict()), "tensors")
