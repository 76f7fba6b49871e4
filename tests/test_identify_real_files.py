"""identify.py on real model files that installed packages ship, each verdict checked against the real loader
(in a throwaway process): ONNX models load with onnx, TorchScript files with torch.jit.load, NumPy files with
numpy.load without pickles when called plain and not when called pickles, and no file is called damaged or
unknown."""
from __future__ import annotations

import runpy
import sysconfig
from pathlib import Path

from test_identify_payloads import run_loaders
from tools.paths import SNIPPETS

identify = runpy.run_path(str(SNIPPETS / "identify" / "identify.py"))["identify"]
SITE = Path(sysconfig.get_paths()["purelib"])

# The loader that must accept a file of each kind (None: nothing to load it with here).
LOADER = {"onnx": "onnx.load", "torchscript": "torch.jit.load", "torch-weights": "torch.load",
          "torch-legacy": "torch.load", "numpy": "numpy.load", "joblib": "joblib.load", "safetensors": "safetensors",
          "gguf": "gguf"}


def real_files() -> list[Path]:
    onnx_models = sorted((SITE / "onnx" / "backend" / "test" / "data").rglob("model.onnx"))
    files = onnx_models[::max(1, len(onnx_models) // 60)]
    files += sorted((SITE / "onnxruntime" / "datasets").glob("*.onnx"))
    files += sorted(p for pattern in ("*.pt", "*.ptl", "*.pth") for p in (SITE / "torch").rglob(pattern))
    files += sorted(p for p in (SITE / "joblib" / "test" / "data").glob("*") if p.is_file()
                    and not p.name.endswith((".py", ".pyc")))
    files += sorted((SITE / "numpy").rglob("*.np[yz]"))
    files += sorted((SITE / "matplotlib" / "mpl-data" / "sample_data").glob("*.npz"))
    return files


def test_real_files_against_their_loaders():
    files = real_files()
    assert len(files) > 80, f"only {len(files)} real model files found in the installed packages"
    verdicts = {path: identify(path) for path in files}
    unnamed = [f"{p.relative_to(SITE)}: {v}" for p, v in verdicts.items() if v.kind in ("damaged", "unknown")]
    jobs = [(LOADER[v.kind], p, None) for p, v in verdicts.items() if LOADER.get(v.kind) and v.kind != "joblib"]
    # A NumPy file called a pickle must be one numpy refuses to load without allow_pickle=True.
    jobs += [("numpy.load", p, None) for p, v in verdicts.items() if v.kind == "numpy-pickle"]
    wrong = []
    for (loader, path, _), result in zip(jobs, run_loaders(jobs)):
        expected = verdicts[path].kind != "numpy-pickle"
        if result["loaded"] != expected:
            wrong.append(f"{path.relative_to(SITE)}: {verdicts[path]} / {loader}: {result['error'][:200] or 'loaded'}")
    kinds = sorted({v.kind for v in verdicts.values()})
    print(f"\n{len(files)} real files, kinds: {', '.join(kinds)}")
    assert not unnamed, "\n".join(unnamed)
    assert not wrong, "\n".join(wrong)
    # Everything those packages ship as pickles is called dangerous, never harmless.
    assert all(v.risk == "danger" for v in verdicts.values() if v.kind in ("joblib", "numpy-pickle", "torchscript"))
