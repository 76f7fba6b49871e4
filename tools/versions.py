"""The versions the format reference and the benchmarks record, named the same way in both (a module of its own,
so that neither imports the other for it)."""
from __future__ import annotations

import platform
from importlib import metadata

VERSIONED = ("torch", "onnx", "onnxruntime", "safetensors", "gguf", "executorch")  # the packages the checks exercise


def installed_versions() -> dict[str, str]:
    found_versions = {name: metadata.version(name).split("+")[0] for name in VERSIONED}
    # The Python line (3.11), like the README asks for: CI's runners take the latest patch release of it.
    found_versions["python"] = ".".join(platform.python_version_tuple()[:2])
    return found_versions
