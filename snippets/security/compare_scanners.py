"""Which payloads do the defences catch? Build a set of live payloads (each only creates a file named
SCAN_MARKER) and two benign files, prove what each payload does when loaded, then give every file to torch.load
(weights_only=True), get_unsafe_globals_in_checkpoint, picklescan, modelscan, fickling and this site's
identifier. The scanners run as separate programs, the way a CI step runs them, each with a time limit."""
# Timeout: 300
import io
import json
import os
import pickle
import shutil
import struct
import subprocess
import sys
import tempfile
import warnings
import zipfile
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

warnings.filterwarnings("ignore")  # TorchScript's deprecation notices
import logging  # noqa: E402

logging.disable(logging.WARNING)  # torch.export.load logs its fallback to weights_only=False (pt2_fallback.py)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torch.serialization import get_unsafe_globals_in_checkpoint  # noqa: E402

MARKER = "SCAN_MARKER"
# The hostile files are made in a folder of their own, removed at the end: none is left lying around.
os.makedirs("attacks", exist_ok=True)
os.chdir("attacks")
BIN = Path(sys.executable).parent
IDENTIFY = Path(__file__).absolute().parent.parent / "identify" / "identify.py"  # the site's identifier (snippets/identify/)


def text(s: str) -> bytes:
    return b"X" + struct.pack("<I", len(s.encode())) + s.encode()


def as_torch_save(pkl: bytes, name: str, legacy: bool = False) -> None:
    """A torch.save file whose pickle is `pkl` (the zip format, or the legacy one torch still reads)."""
    if legacy:
        header = io.BytesIO()
        for value in (0x1950A86A20F9469CFC6C, 1001, {"protocol_version": 1001, "little_endian": True,
                                                     "type_sizes": {"short": 2, "int": 4, "long": 4}}):
            pickle.dump(value, header, protocol=2)
        Path(name).write_bytes(header.getvalue() + pkl + pickle.dumps([], protocol=2))
        return
    torch.save({}, name)
    with zipfile.ZipFile(name) as old:
        members = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(name, "w") as new:
        for info, content in members:
            new.writestr(info, pkl if info.filename.endswith("/data.pkl") else content)


touch = f"open({MARKER!r}, 'w').close()"
shell = f"touch {MARKER}"
PAYLOADS = {  # name: pickle bytes, all live (checked below)
    "os.system (REDUCE)": b"\x80\x02cos\nsystem\n" + text(shell) + b"\x85R.",
    "os.system (INST, protocol 0)": f"(S'{shell}'\nios\nsystem\n.".encode(),
    "os.system (OBJ, protocol 1)": b"(cos\nsystem\n" + text(shell) + b"o.",
    "builtins.exec": b"\x80\x02cbuiltins\nexec\n" + text(touch) + b"\x85R.",
    "builtins.eval": b"\x80\x02cbuiltins\neval\n" + text(touch) + b"\x85R.",
    "getattr chain": (b"\x80\x02cbuiltins\ngetattr\ncbuiltins\n__import__\n" + text("os") + b"\x85R"
                      + text("system") + b"\x86R" + text(shell) + b"\x85R."),
    "_import_dotted_name": (b"\x80\x02ctorch._utils\n_import_dotted_name\n" + text("os.system") + b"\x85R"
                            + text(shell) + b"\x85R."),
    "runpy._run_code": b"\x80\x02crunpy\n_run_code\n" + text(touch) + b"}\x86R.",
    "subprocess.call": b"\x80\x02csubprocess\ncall\n" + text("touch") + text(MARKER) + b"\x86\x85R.",
}
inner = PAYLOADS["builtins.exec"]  # a pickle inside a pickle: the outer one only names _pickle.loads
PAYLOADS["nested pickle.loads"] = b"\x80\x02c_pickle\nloads\nB" + struct.pack("<I", len(inner)) + inner + b"\x85R."


def marker_made() -> bool:
    made = os.path.exists(MARKER)
    if made:
        os.remove(MARKER)
    return made


files = {}  # name: (path, how it is loaded, live?)
for name, pkl in PAYLOADS.items():
    path = "p_" + "".join(c if c.isalnum() else "_" for c in name).strip("_") + ".pt"
    as_torch_save(pkl, path)
    files[name] = path
as_torch_save(PAYLOADS["os.system (REDUCE)"], "p_legacy.pt", legacy=True)
files["legacy torch.save"] = "p_legacy.pt"


class WithSetstate(nn.Module):  # a TorchScript method stored in the archive, run by torch.jit.load
    def forward(self, x):
        return x

    @torch.jit.export
    def __getstate__(self):
        return (self.training,)

    @torch.jit.export
    def __setstate__(self, state: tuple[bool]):
        self.training = bool(torch.from_file("SCAN_MARKER", shared=True, size=1, dtype=torch.uint8).sum() >= 0)


torch.jit.save(torch.jit.script(WithSetstate()), "p_torchscript.pt")
files["TorchScript __setstate__"] = "p_torchscript.pt"
small = nn.Linear(2, 2)
torch.export.save(torch.export.export(small, (torch.ones(1, 2),)), "p_sample_inputs.pt2")
with zipfile.ZipFile("p_sample_inputs.pt2") as old:
    members = [(info, old.read(info)) for info in old.infolist()]
as_torch_save(PAYLOADS["builtins.exec"], "inputs.pt")
with zipfile.ZipFile("p_sample_inputs.pt2", "w") as new:
    for info, content in members:
        new.writestr(info, Path("inputs.pt").read_bytes() if info.filename.endswith("/sample_inputs/model.pt")
                     else content)
os.remove("inputs.pt")
files[".pt2 sample inputs"] = "p_sample_inputs.pt2"
# benign controls: a finding here is a false positive
torch.save(small.state_dict(), "benign_state_dict.pt")
optimizer = torch.optim.Adam(small.parameters())
small(torch.ones(1, 2)).sum().backward()
optimizer.step()
torch.save({"model": small.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 3}, "benign_checkpoint.pt")
files["benign: state_dict"] = "benign_state_dict.pt"
files["benign: checkpoint"] = "benign_checkpoint.pt"

# Prove each payload live: load it the way its format is loaded when trust is assumed.
live = {}
for name, path in files.items():
    try:
        if path.endswith(".pt2"):
            torch.export.load(path)
        elif name.startswith("TorchScript"):
            torch.jit.load(path)
        else:
            torch.load(path, weights_only=False)
    except Exception:  # noqa: BLE001 - a payload may break the load after it ran
        pass
    live[name] = marker_made()


def torch_default(path):
    try:
        torch.load(path)
        return "loaded"
    except Exception as error:  # noqa: BLE001
        return f"refused ({type(error).__name__})"


def unsafe_globals(path):
    try:
        found = get_unsafe_globals_in_checkpoint(path)
        return f"{len(found)} listed" if found else "0 listed"
    except Exception as error:  # noqa: BLE001
        return f"error ({type(error).__name__})"


def run(command, folder=None):
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=folder)
        return done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired:
        return None, "timed out after 60 s"


def picklescan(path):
    code, out = run([str(BIN / "picklescan"), "--path", path])
    counts = {k: next((line.split(":")[1].strip() for line in out.splitlines() if line.startswith(k)), "?")
              for k in ("Infected files", "Suspicious globals", "Dangerous globals")}
    return f"exit {code}: infected {counts['Infected files']}, dangerous {counts['Dangerous globals']}, " \
           f"suspicious {counts['Suspicious globals']}"


def modelscan_all(paths):
    """One modelscan run over a folder of copies (it starts slowly); its JSON report names the file of each issue."""
    with tempfile.TemporaryDirectory() as folder:
        for path in paths:
            shutil.copy(path, folder)
        code, out = run([str(BIN / "modelscan"), "-p", folder, "-r", "json", "-o", os.path.join(folder, "r.json")])
        report = json.loads(Path(folder, "r.json").read_text()) if os.path.exists(Path(folder, "r.json")) else {}
    results = {}
    for path in paths:
        mine = [i for i in report.get("issues", []) if i["source"].split(":")[0] == path]
        errors = [e for e in (report.get("errors") or []) + (report.get("summary", {}).get("skipped") or [])
                  if e.get("source", "").split(":")[0] == path and e.get("category") != "SCAN_NOT_SUPPORTED"]
        results[path] = (f"{len(mine)} issues ({', '.join(sorted({i['severity'] for i in mine}))})" if mine else
                         f"0 issues; {errors[0]['description']}" if errors else "0 issues")
    return results


FICKLING = """import json, sys, zipfile, fickling
for path in sys.argv[1:]:
    results = (list(fickling.scan_zip_archive(path, graceful=True).values()) if zipfile.is_zipfile(path)
               else [fickling.scan_file(path, graceful=True)])
    worst = max((r.severity for r in results), default=None)
    verdict = ("unsafe" if any(not r.is_safe for r in results) else "error" if any(r.errors for r in results)
               else "likely safe")
    print(json.dumps([path, verdict + " (" + (worst.name if worst is not None else "no pickle scanned") + ")"]))"""


def fickling_all(paths):
    """fickling's own scan (scan_zip_archive for zip files, scan_file otherwise), all files in one process."""
    code, out = run([sys.executable, "-c", FICKLING, *paths])
    found = dict(json.loads(line) for line in out.splitlines() if line.startswith("["))
    return {path: found.get(path, f"error (exit {code})") for path in paths}


IDENTIFY_CODE = IDENTIFY.read_text(encoding="utf-8")
HAS_CLI = "sys.argv" in IDENTIFY_CODE or "argparse" in IDENTIFY_CODE


def identifier(path):
    if HAS_CLI:
        # Its command-line contract: one verdict per file; exit 0 nothing dangerous, 1 dangerous, 2 unreadable.
        with tempfile.TemporaryDirectory() as folder:  # run elsewhere: it must not need the files' folder
            code, out = run([sys.executable, str(IDENTIFY), os.path.abspath(path)], folder)
        verdict = next((line.strip() for line in out.splitlines() if os.path.basename(path) in line), "")
        return f"exit {code}: {verdict.split(os.path.basename(path))[-1].strip(' :')[:60]}"
    # An identifier without a command line: ask its identify() function for the kind of file. Only files it calls
    # plain weights or formats without pickles count as passed.
    code, out = run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); from identify import identify;"
                     " print(identify(sys.argv[2]).kind)", str(IDENTIFY.parent), os.path.abspath(path)])
    kind = out.strip().splitlines()[-1] if out.strip() else "?"
    dangerous = kind not in {"torch-weights", "safetensors", "onnx", "gguf", "executorch", "unknown"}
    return f"{'dangerous' if dangerous else 'passed'}: identify() says {kind}"


def caught(tool, result):
    """Did this tool stop the file? (What a CI step or a loader would act on.)"""
    if tool == "torch.load":
        return result.startswith("refused")
    if tool == "get_unsafe_globals":
        return not result.startswith("0 listed")
    if tool == "picklescan":
        return result.startswith("exit 1")
    if tool == "identifier":
        return result.startswith(("exit 1", "exit 2", "dangerous"))  # exit 2 (unreadable) also fails a CI step
    if tool == "modelscan":
        return not result.startswith("0 issues")
    return result.startswith("unsafe")


TOOLS = ["torch.load", "get_unsafe_globals", "picklescan", "modelscan", "fickling", "identifier"]
paths = list(files.values())
with ThreadPoolExecutor(max_workers=3) as pool:  # the scanners are separate programs: let them overlap
    scans = {("picklescan", p): pool.submit(picklescan, p) for p in paths}
    scans.update({("identifier", p): pool.submit(identifier, p) for p in paths})
    modelscan_results, fickling_results = pool.submit(modelscan_all, paths), pool.submit(fickling_all, paths)
    results = {("torch.load", p): torch_default(p) for p in paths}
    results.update({("get_unsafe_globals", p): unsafe_globals(p) for p in paths})
    results.update({key: future.result() for key, future in scans.items()})
    results.update({("modelscan", p): r for p, r in modelscan_results.result().items()})
    results.update({("fickling", p): r for p, r in fickling_results.result().items()})
table = {name: {"live": live[name], **{tool: {"result": results[(tool, path)],
                                              "caught": caught(tool, results[(tool, path)])} for tool in TOOLS}}
         for name, path in files.items()}
assert not marker_made(), "a scanner or torch.load ran a payload"

versions = {p: metadata.version(p) for p in ("torch", "picklescan", "modelscan", "fickling")}
print("versions:", ", ".join(f"{k} {v}" for k, v in versions.items()))
for name, row in table.items():
    print(f"{name}: live {row['live']}")
    for tool in TOOLS:
        print(f"    {tool:<19} {'CAUGHT' if row[tool]['caught'] else 'passed'}  {row[tool]['result']}")
print(json.dumps({"versions": versions, "payloads": table}, indent=1))
os.chdir("..")
shutil.rmtree("attacks")
