"""Can a C++ program with no Python and no PyTorch in it run the ExecuTorch file? Compile a small program against
the ExecuTorch runtime (the C++ library and headers inside the executorch wheel), run it on the saved .pte, and
compare its output with PyTorch's."""
# Run after: save_every_format.py
# Timeout: 120
import importlib.util
import json
import subprocess
from pathlib import Path

import torch

PROGRAM = r"""
#include <executorch/extension/module/module.h>
#include <executorch/extension/tensor/tensor.h>
#include <cstdio>
#include <string>
#include <vector>
int main(int argc, char** argv) {
  executorch::extension::Module module(argv[1]);
  std::vector<float> x;
  for (int i = 2; i < argc; ++i) x.push_back(std::stof(argv[i]));
  auto result = module.forward(executorch::extension::from_blob(x.data(), {2, 4}));
  if (!result.ok()) return 1;
  const auto y = result->at(0).toTensor();
  for (int i = 0; i < y.numel(); ++i) std::printf("%.6f\n", y.const_data_ptr<float>()[i]);
}
"""
Path("run_pte.cpp").write_text(PROGRAM)
# Where pip put executorch: its include/ and lib/ folders (found without importing it, which would import torch).
package = Path(importlib.util.find_spec("executorch").submodule_search_locations[0])
lib = package / "lib"
# The include folders and definitions executorch's own CMake package file (share/cmake) gives its users.
subprocess.run(["g++", "-std=c++17", "-O0", "-w", "run_pte.cpp", "-o", "run_pte",
                f"-I{package / 'include'}", f"-I{package / 'include/executorch/runtime/core/portable_type/c10'}",
                "-DC10_USING_CUSTOM_GENERATED_MACROS", "-DET_EVENT_TRACER_ENABLED", "-DET_USE_THREADPOOL",
                f"-L{lib}", f"-Wl,-rpath,{lib}",
                # the XNNPACK backend registers itself when its library loads: keep it although nothing names it
                "-Wl,--no-as-needed", "-lexecutorch", "-lexecutorch_backend_xnnpack"], check=True)

reference = torch.load("reference.pt")
x, y = reference["x"], reference["y"]  # the model was exported for this (2, 4) input
run = subprocess.run(["./run_pte", "model.pte", *[repr(v) for v in x.flatten().tolist()]],
                     capture_output=True, text=True, check=True, env={})  # env={}: no PYTHONPATH, no venv
linked = subprocess.run(["ldd", "run_pte"], capture_output=True, text=True, check=True).stdout
print("the program links libpython:", "libpython" in linked, "| libtorch:", "libtorch" in linked)
out = torch.tensor([float(v) for v in run.stdout.split()]).view_as(y)
same = torch.allclose(out, y, atol=1e-5)
print(f"C++ output {[round(v, 4) for v in out[0].tolist()]}, PyTorch {[round(v, 4) for v in y[0].tolist()]}")
found = {"without_python": "cpp" if same and "libpython" not in linked else "failed",
         "without_torch": "executorch_cpp" if same and "libtorch" not in linked else "none"}
print(json.dumps({"executorch": found}, indent=1))
