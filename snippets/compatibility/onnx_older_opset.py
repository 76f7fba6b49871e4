"""Export for a runtime that only knows older opsets: ask torch.onnx.export for opset 17 and see what it writes."""
import onnx
import torch

torch.manual_seed(0)
model = torch.nn.Linear(3, 2).eval()
torch.onnx.export(model, (torch.randn(1, 3),), "model_opset17.onnx", external_data=False, verbose=False,
                  opset_version=17)  # the exporter builds opset 18 and converts it down
written = onnx.load("model_opset17.onnx")
onnx.checker.check_model(written)
opsets = {o.domain or "ai.onnx": o.version for o in written.opset_import}
print(f"model_opset17.onnx: IR version {written.ir_version}, opsets {opsets}, "
      f"nodes {[n.op_type for n in written.graph.node]}")
