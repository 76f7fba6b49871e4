"""Run snippets in forked children of one process that has already imported the heavy libraries.

Importing torch costs about 1.4 s; forking a process that has imported it costs milliseconds. Each snippet
gets a new child, so it has its own __main__, globals and torch state, as under `python snippet.py`:
a class defined by one snippet is not visible to another.

Protocol: one JSON request a line on stdin, one JSON reply a line on stdout. Started by tools.snippet_runner.
"""
from __future__ import annotations

import importlib
import io
import json
import os
import runpy
import select
import signal
import sys
import time
import traceback

# Imported once here so that snippets find them already loaded. Only imports: no computation, so no thread
# pool exists yet when we fork.
PRELOAD = (
    "numpy", "torch", "torch.nn", "torch.optim", "torch.export", "torch.onnx", "torch.utils.data",
    "onnx", "onnxruntime", "onnxscript", "safetensors.torch",
    # The torch.export-based ONNX exporter and the op library it registers: seconds of imports on first use.
    "torch.onnx._internal.exporter._core", "torch.onnx._internal.exporter._registration",
    "onnxscript.function_libs.torch_lib.ops", "torch._dynamo", "torch.export._trace",
)


def preload() -> None:
    # The harness's own tests run tiny snippets that import nothing heavy: they skip the seconds of imports.
    if os.environ.get("SNIPPET_SERVER_PRELOAD") == "0":
        return
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # a snippet that needs the module fails on its own import, with the real message


def _child(request: dict) -> None:
    """Become `python <path>` run in request['cwd']; never returns."""
    os.setpgid(0, 0)  # own process group, so a timeout kills whatever the snippet started too
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.chdir(request["cwd"])
    out = os.open(request["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    # Unbuffered all the way down, so print() and warnings land in the file in the order they happened.
    sys.stdout = io.TextIOWrapper(open(1, "wb", buffering=0, closefd=False), encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(open(2, "wb", buffering=0, closefd=False), encoding="utf-8", write_through=True)
    path = request["path"]
    sys.argv = [path]
    sys.path[0] = os.path.dirname(path)
    record: dict = {"error_type": None, "error": None, "traceback": None}
    code = 0
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException as exc:  # noqa: BLE001 - the snippet's exception is the result we report
        record["error_type"] = type(exc).__name__
        record["error"] = "".join(traceback.format_exception_only(exc)).rstrip("\n")
        record["traceback"] = traceback.format_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    with open(request["record"], "w", encoding="utf-8") as f:
        json.dump(record, f)
    os._exit(code)


def _run(request: dict) -> dict:
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            _child(request)
        finally:
            os._exit(70)
    pidfd = os.pidfd_open(pid)
    ready, _, _ = select.select([pidfd], [], [], request["timeout"])
    timed_out = not ready
    if timed_out:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _, status = os.waitpid(pid, 0)
    os.close(pidfd)
    return {"exit_code": os.waitstatus_to_exitcode(status), "timed_out": timed_out,
            "seconds": time.perf_counter() - started}


def main() -> None:
    preload()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        print(json.dumps(_run(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
