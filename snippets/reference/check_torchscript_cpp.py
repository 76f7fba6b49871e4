"""Can a C++ program with no Python in it run the TorchScript file? Compile a small program against libtorch
(the C++ library inside the torch wheel), run it on the saved model, and compare its output with PyTorch's."""
# Run after: save_every_format.py
# Timeout: 300
import json
import subprocess
from pathlib import Path

import torch
from torch.utils.cpp_extension import include_paths, library_paths

PROGRAM = r"""
#include <torch/csrc/jit/serialization/import.h>
#include <ATen/ATen.h>
#include <cstdio>
int main(int argc, char** argv) {
  torch::jit::Module model = torch::jit::load(argv[1]);
  at::Tensor x = at::tensor({std::stof(argv[2]), std::stof(argv[3]), std::stof(argv[4]), std::stof(argv[5])})
                     .view({1, 4});
  at::Tensor y = model.forward({x}).toTensor();
  for (int i = 0; i < y.size(1); ++i) std::printf("%.6f\n", y[0][i].item<float>());
}
"""
Path("run_scripted.cpp").write_text(PROGRAM)
lib = library_paths()[0]
abi = int(torch._C._GLIBCXX_USE_CXX11_ABI)
subprocess.run(["g++", "-std=c++17", "-O0", "-w", "run_scripted.cpp", "-o", "run_scripted",
                *[f"-I{p}" for p in include_paths()], f"-D_GLIBCXX_USE_CXX11_ABI={abi}",
                f"-L{lib}", f"-Wl,-rpath,{lib}", "-ltorch", "-ltorch_cpu", "-lc10"], check=True)

reference = torch.load("reference.pt")
x, y = reference["x"][:1], reference["y"][:1]
run = subprocess.run(["./run_scripted", "model_scripted.pt", *[repr(v) for v in x[0].tolist()]],
                     capture_output=True, text=True, check=True, env={})  # env={}: no PYTHONPATH, no venv
linked = subprocess.run(["ldd", "run_scripted"], capture_output=True, text=True, check=True).stdout
print("the program links libpython:", "libpython" in linked)
out = torch.tensor([float(v) for v in run.stdout.split()])
same = torch.allclose(out, y[0], atol=1e-5) and "libpython" not in linked
print(f"C++ output {[round(v, 4) for v in out.tolist()]}, PyTorch {[round(v, 4) for v in y[0].tolist()]}")
print(json.dumps({"torchscript": {"without_python": "cpp" if same else "failed"}}, indent=1))
