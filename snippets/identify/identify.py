"""Tell what a model file is from its bytes, and whether loading it can run code, without loading it.

    python identify.py FILE...   one line per file; exit status 0 when nothing is dangerous,
                                 1 when something is, 2 when a file could not be read
    python identify.py           writes a few sample files into the current folder and names each one

It never unpickles, imports or runs anything from a file, reads at most 64 MB of any file and gives up
after 5 seconds, so it is safe on a file you do not trust. It needs only the Python standard library;
when torch is installed it takes torch's own list of what torch.load accepts from it.
"""
from __future__ import annotations

import _compat_pickle
import ast
import codecs
import errno
import json
import os
import pickle  # only its opcode constants; nothing here unpickles
import re
import stat
import struct
import sys
import tarfile
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

BUDGET_BYTES = 64 * 2**20   # never more than this read from one file (inflated bytes count too)
BUDGET_SECONDS = 5.0        # nor longer than this spent on it


# --8<-- [start:verdict]
@dataclass(frozen=True)
class Verdict:
    kind: str    # short and stable, for code: "safetensors", "torch-weights", "dangerous-pickle", ...
    detail: str  # one sentence for a person
    risk: str = "ok"  # "ok"; "danger": loading it can run code, or that could not be ruled out; "unreadable"

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


def exit_status(verdicts: list[Verdict]) -> int:
    """0 when nothing is dangerous, 1 when something is, 2 when a file could not be read (and none is dangerous)."""
    risks = {v.risk for v in verdicts}
    return 1 if "danger" in risks else 2 if "unreadable" in risks else 0


# What each suffix promises; identify() says so when the bytes disagree.
SUFFIX_KINDS = {
    ".safetensors": {"safetensors"},
    ".onnx": {"onnx"},
    ".gguf": {"gguf"},
    ".pt2": {"torch-export"},
    ".pte": {"executorch"},
    ".npy": {"numpy"},
    ".pt": {"torch-weights", "torch-pickled-objects", "torchscript", "torch-legacy", "torch-data"},
    ".pth": {"torch-weights", "torch-pickled-objects", "torchscript", "torch-legacy", "torch-data"},
}
# --8<-- [end:verdict]


# --8<-- [start:identify]
def identify(path: str | bytes | Path) -> Verdict:
    """Name the format of a model file by reading it, never by loading it."""
    path = Path(os.fsdecode(path))
    opened = open_regular(path)
    if opened is None:
        return _directory(path)
    if isinstance(opened, Verdict):
        return opened
    budget = Budget()
    with opened as file:
        size = os.fstat(file.fileno()).st_size
        head = file.read(512)
        try:
            verdict = _by_content(path, file, head, size, budget)
        except Unverifiable as error:
            verdict = Verdict("unverified", f"{_looks_like(head)}; {error}: treat it as untrusted", "danger")
        except Exception as error:
            # The start matched a format but the rest does not hold together (truncated, flipped bytes, ...).
            reason = str(error) if isinstance(error, Damaged) else f"{type(error).__name__}: {error}"
            if head.startswith(b"PK\x03\x04"):  # torch's own zip reader may still make sense of parts of it
                verdict = Verdict("damaged", f"looks like a zip archive but is broken ({reason}); what torch's "
                                             "reader would make of it cannot be checked: treat it as untrusted",
                                  "danger")
            else:
                verdict = Verdict("damaged", f"looks like {_looks_like(head)} but is broken ({reason})")
    expected = SUFFIX_KINDS.get(path.suffix.lower())
    if expected and verdict.kind not in expected and verdict.risk == "ok" and verdict.kind != "damaged":
        verdict = Verdict(verdict.kind, f"{verdict.detail} (the name says {path.suffix}, the bytes do not)")
    return verdict


def _by_content(path: Path, file, head: bytes, size: int, budget: Budget) -> Verdict:
    if size == 0:
        return Verdict("empty", "0 bytes: an interrupted download or save?")
    whole = Window(file, 0, size, budget)
    if head.startswith(b"PK\x03\x04"):                # torch.load takes this branch on these 4 bytes alone
        return _zip_archive(whole, size)
    if _is_tar(head):                                 # then torch.load tries the pre-2017 tar layout
        return _legacy_tar(whole)
    # Anything else given to torch.load(weights_only=False), pickle.load or numpy.load(allow_pickle=True) is
    # unpickled from its first byte, whatever it looks like. So every file is first read as a pickle.
    scan = scan_pickle(whole)
    if scan.value == ("int", TORCH_LEGACY_MAGIC):
        return _legacy_torch(whole, scan)
    if scan.imports or scan.calls:
        kind = "joblib" if any(n.startswith("joblib.") for n in scan.imports) else "pickle"
        return _pickle_verdict([scan], f"a {kind} pickle" if kind == "joblib" else "a pickle", kind, kind, kind)
    compressed = _decompressed_pickle(file, head, size, budget)
    if compressed:
        return compressed
    if head.startswith(b"GGUF"):
        return _gguf(head)
    lookalike = _wrong_download(head, size)
    if lookalike:
        return lookalike
    if re.fullmatch(rb"ET[0-9A-Za-z]{2}", head[4:8]):        # flatbuffer file identifier, bytes 4-7
        return Verdict("executorch", f"an ExecuTorch program (.pte, schema {head[4:8].decode()}); "
                                     "runs in the ExecuTorch runtime, not in torch")
    if head[4:8] == b"ORTM":                                 # the same trick, ONNX Runtime's own format
        return Verdict("onnx-ort", "an ONNX Runtime model in its ORT format (.ort): load it with onnxruntime")
    if head[4:8] == b"TFL3":                                 # the same trick, TensorFlow Lite's identifier
        return Verdict("tflite", "a TensorFlow Lite / LiteRT flatbuffer (.tflite)")
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return Verdict("hdf5", "an HDF5 file: Keras .h5 / .weights.h5 files use this container")
    if head.startswith(b"\x93NUMPY"):
        whole.pos = 0
        return _npy(whole, "a NumPy .npy file")
    if _looks_like_safetensors(head, size):
        return _safetensors(whole, head, size)
    if head.lstrip()[:1] == b"{":
        return _json_file(path, whole, size)
    if head[:1] == b"\x08":                                  # protobuf field 1 (ir_version) comes first
        return _onnx(path, whole, size)
    if scan.proto is not None:  # began with a PROTO opcode, imports nothing
        if scan.stopped:
            return Verdict("pickle", f"a pickle (protocol {scan.proto}) of plain data: it imports and calls "
                                     "nothing, so loading it runs nothing")
        return Verdict("damaged", f"looks like a pickle (protocol {scan.proto}) but is broken ({scan.damage})")
    return Verdict("unknown", f"no known model format starts with {head[:8].hex(' ')}")
# --8<-- [end:identify]


# --8<-- [start:allowlist]
# What torch.load accepts with its defaults (weights_only=True): torch 2.13.0's _get_allowed_globals() in
# torch/_weights_only_unpickler.py, copied so that this file works where torch is not installed. The tests
# keep this copy equal to the installed torch's list; allowed_globals() reads the live one when it can.
_TYPES = "BFloat16 Bool Byte Char Double Float Half Int Long Short".split()
_STORAGES = _TYPES + "ComplexDouble ComplexFloat".split()
TORCH_2_13_ALLOWED = {
    **dict.fromkeys("builtins.bytearray builtins.complex builtins.set collections.Counter collections.OrderedDict "
                    "torch.Size torch.Tensor torch.device torch.nn.parameter.Parameter torch.storage.TypedStorage "
                    "torch.storage.UntypedStorage".split(), "class"),
    **dict.fromkeys([f"torch.{where}{t}Tensor" for where in ("", "cuda.") for t in _TYPES]
                    + [f"torch.{where}{t}Tensor" for where in ("sparse.", "cuda.sparse.") for t in _TYPES
                       if t != "Bool"], "class"),
    **dict.fromkeys(["_codecs.encode", "torch._tensor._rebuild_from_type_v2", "torch.serialization._get_layout"]
                    + [f"torch._utils._rebuild_{f}" for f in (
                        "device_tensor_from_cpu_tensor device_tensor_from_numpy meta_tensor_no_storage nested_tensor "
                        "parameter parameter_with_state qtensor sparse_tensor tensor tensor_v2 tensor_v3 "
                        "wrapper_subclass").split()], "function"),
    **dict.fromkeys([f"torch.{s}Storage" for s in _STORAGES + "QInt32 QInt8 QUInt2x4 QUInt4x2 QUInt8".split()]
                    + [f"torch.cuda.{s}Storage" for s in _STORAGES]
                    + [f"torch.{d}" for d in (
                        "bfloat16 bits16 bits1x8 bits2x4 bits4x2 bits8 bool complex128 complex32 complex64 float16 "
                        "float32 float4_e2m1fn_x2 float64 float8_e4m3fn float8_e4m3fnuz float8_e5m2 float8_e5m2fnuz "
                        "float8_e8m0fnu qint32 qint8 quint2x4 quint4x2 quint8 per_channel_affine "
                        "per_channel_affine_float_qparams per_channel_symmetric per_tensor_affine "
                        "per_tensor_symmetric").split()]
                    + [f"torch.{u}int{n}" for u in ("", "u") for n in (1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 64)], "value"),
}
TORCH_2_13_BLOCKED_MODULES = {"sys", "os", "posix", "nt"}  # refused even when a user allowlists them
# torch renames a few Python 2 names before looking them up (torch._utils.IMPORT_MAPPING / NAME_MAPPING).
TORCH_RENAMED_MODULES = {"__builtin__": "builtins", "copy_reg": "copyreg", "Queue": "queue", "repr": "reprlib",
                         "_abcoll": "collections.abc", "UserDict": "collections", "UserList": "collections",
                         "UserString": "collections", "whichdb": "dbm", "StringIO": "io", "cStringIO": "io"}
TORCH_RENAMED_NAMES = {
    ("__builtin__", "xrange"): ("builtins", "range"), ("__builtin__", "reduce"): ("functools", "reduce"),
    ("__builtin__", "intern"): ("sys", "intern"), ("__builtin__", "unichr"): ("builtins", "chr"),
    ("__builtin__", "unicode"): ("builtins", "str"), ("__builtin__", "long"): ("builtins", "int"),
    ("itertools", "izip"): ("builtins", "zip"), ("itertools", "imap"): ("builtins", "map"),
    ("itertools", "ifilter"): ("builtins", "filter"), ("itertools", "ifilterfalse"): ("itertools", "filterfalse"),
    ("itertools", "izip_longest"): ("itertools", "zip_longest"),
    ("UserDict", "IterableUserDict"): ("collections", "UserDict"), ("UserList", "UserList"): ("collections", "UserList"),
    ("UserString", "UserString"): ("collections", "UserString"), ("__builtin__", "basestring"): ("builtins", "str"),
    ("exceptions", "StandardError"): ("builtins", "Exception"), ("UserDict", "UserDict"): ("collections", "UserDict")}


def allowed_globals() -> tuple[dict[str, str], str]:
    """Name -> "class" / "function" / "value" for every global torch.load accepts by default, and where from."""
    try:
        import torch
        from torch._weights_only_unpickler import _get_allowed_globals
    except ImportError:
        return TORCH_2_13_ALLOWED, "torch 2.13.0's list (copied; torch is not installed)"
    names = {name: "class" if isinstance(value, type) else "function" if callable(value) else "value"
             for name, value in _get_allowed_globals().items()}
    return names, f"the installed torch {torch.__version__.split('+')[0]}"


# Names that run commands, evaluate code or reach any other name: used only to word the verdict. Any import
# outside the allowlist already makes a pickle dangerous, whether it is listed here or not.
CODE_MODULES = {"os", "posix", "nt", "subprocess", "runpy", "socket", "shutil", "webbrowser", "pty", "sys",
                "importlib", "ctypes", "code", "codeop", "marshal", "pickle", "_pickle", "dill", "pdb", "timeit",
                "multiprocessing", "asyncio", "types", "commands", "platform", "signal"}
CODE_GLOBALS = {f"{m}.{n}" for m in ("builtins", "__builtin__") for n in (
    "eval", "exec", "compile", "__import__", "getattr", "setattr", "delattr", "open", "breakpoint", "input",
    "globals", "locals", "vars")}
CODE_GLOBALS |= {"io.open", "_io.open", "io.FileIO", "_io.FileIO", "functools.partial", "functools.reduce",
                 "operator.attrgetter", "operator.methodcaller", "operator.itemgetter", "torch._utils._import_dotted_name",
                 "torch.load", "torch.hub.load", "numpy.load", "numpy.testing._private.utils.runstring",
                 "_operator.attrgetter", "_operator.methodcaller", "_functools.partial", "_functools.reduce"}


def is_code(name: str) -> bool:
    return name in CODE_GLOBALS or name.split(".")[0] in CODE_MODULES or name == "?"
# --8<-- [end:allowlist]


class Unverifiable(Exception):
    """The file is too big or too slow to check completely: it cannot be called harmless."""


class Damaged(Exception):
    """The bytes stop making sense for the format they started as."""


# --8<-- [start:reading]
class Budget:
    """Bytes and seconds left for one file."""

    def __init__(self) -> None:
        self.left = BUDGET_BYTES
        self.deadline = time.monotonic() + BUDGET_SECONDS

    def spend(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise Unverifiable(f"it needs more than {BUDGET_BYTES // 2**20} MB read to check")
        if time.monotonic() > self.deadline:
            raise Unverifiable(f"checking it takes more than {BUDGET_SECONDS:.0f} s")


class Window:
    """A part of an open file (or all of it), read through the budget and a small read-ahead cache."""

    def __init__(self, file, start: int, end: int, budget: Budget) -> None:
        self.file, self.pos, self.end, self.budget = file, start, end, budget
        self._at, self._cache = 0, b""

    def read(self, n: int) -> bytes:
        n = max(0, min(n, self.end - self.pos))
        offset = self.pos - self._at
        self.budget.spend(n)  # what is examined counts, not the read-ahead
        if not (0 <= offset and offset + n <= len(self._cache)):
            want = min(max(n, 65536), self.end - self.pos)
            self.file.seek(self.pos)
            self._at, self._cache = self.pos, self.file.read(want)
            offset = 0
        data = self._cache[offset:offset + n]
        self.pos += len(data)
        return data

    def skip(self, n: int) -> int:
        n = max(0, min(n, self.end - self.pos))
        self.budget.spend(0)
        self.pos += n
        return n

    def readline(self, keep: int = 4096) -> bytes | None:
        """One line without its newline, cut to `keep` bytes; None when the data ends first."""
        kept = b""
        while True:
            start = self.pos
            chunk = self.read(65536)
            if not chunk:
                return None
            cut = chunk.find(b"\n")
            if cut >= 0:
                self.pos = start + cut + 1
                return (kept + chunk[:cut])[:keep]
            kept = (kept + chunk)[:keep]


class Inflated:
    """Compressed bytes (a deflated zip member, a gzip/bz2/xz file), decompressed as they are read."""

    def __init__(self, raw: Window, decompressor) -> None:
        self.raw, self.d, self.buf, self.off, self.pos = raw, decompressor, b"", 0, 0

    def _fill(self, n: int) -> None:
        while len(self.buf) - self.off < n and not self.d.eof:
            if hasattr(self.d, "needs_input"):      # bz2, lzma
                data = self.raw.read(65536) if self.d.needs_input else b""
                if not data and self.d.needs_input:
                    break
            else:                                   # zlib
                data = self.d.unconsumed_tail or self.raw.read(65536)
                if not data:
                    break
            out = self.d.decompress(data, 1 << 20)  # at most 1 MB at a time: a bomb cannot flood memory
            self.raw.budget.spend(len(out))
            self.buf, self.off = self.buf[self.off:] + out, 0

    def read(self, n: int) -> bytes:
        self._fill(n)
        data = self.buf[self.off:self.off + n]
        self.off += len(data)
        self.pos += len(data)
        return data

    def skip(self, n: int) -> int:
        done = 0
        while done < n:
            got = len(self.read(min(n - done, 1 << 20)))
            if not got:
                break
            done += got
        return done

    def readline(self, keep: int = 4096) -> bytes | None:
        kept = b""
        while True:
            self._fill(1)
            if len(self.buf) == self.off:
                return None
            cut = self.buf.find(b"\n", self.off)
            if cut >= 0:
                line = self.buf[self.off:cut]
                self.pos += cut + 1 - self.off
                self.off = cut + 1
                return (kept + line)[:keep]
            kept = (kept + self.buf[self.off:])[:keep]
            self.pos += len(self.buf) - self.off
            self.off = len(self.buf)


def open_regular(path: Path):
    """Open a path only if it is a regular file; otherwise say what it is, as a Verdict."""
    try:
        info = os.stat(path)
    except OSError as error:
        return _unreadable(error)
    if stat.S_ISDIR(info.st_mode):
        return None
    if not stat.S_ISREG(info.st_mode):
        what = ("a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else "a device" if
                stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "a socket" if
                stat.S_ISSOCK(info.st_mode) else "not a regular file")
        return Verdict("not-a-file", f"{what}, not a file: nothing to identify", "unreadable")
    try:  # O_NONBLOCK: if the path was swapped for a FIFO since stat(), open() must not hang
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        return _unreadable(error)
    file = os.fdopen(fd, "rb", buffering=0)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        file.close()
        return Verdict("not-a-file", "not a regular file: nothing to identify", "unreadable")
    return file


def _unreadable(error: OSError) -> Verdict:
    reasons = {errno.ENOENT: ("missing", "no such file (check the path)"),
               errno.EACCES: ("no-permission", "permission denied: this user may not read it"),
               errno.EPERM: ("no-permission", "permission denied: this user may not read it"),
               errno.ELOOP: ("symlink-loop", "a symbolic link that points back to itself (a loop)"),
               errno.ENOTDIR: ("missing", "a part of the path is not a folder"),
               errno.ENAMETOOLONG: ("missing", "the name is too long for this system")}
    kind, text = reasons.get(error.errno, ("unreadable", f"cannot be read ({error.strerror})"))
    return Verdict(kind, text, "unreadable")
# --8<-- [end:reading]


# --8<-- [start:pickle]
TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C  # torch.serialization.MAGIC_NUMBER, the first of 5 legacy pickles

# torch's weights_only unpickler knows only these opcodes (its Unpickler.load); any other one is refused.
TORCH_OPCODES = {getattr(pickle, name)[0] for name in (
    "GLOBAL NEWOBJ REDUCE BUILD APPEND APPENDS SETITEM SETITEMS MARK TUPLE TUPLE1 TUPLE2 TUPLE3 NONE NEWFALSE "
    "NEWTRUE EMPTY_TUPLE EMPTY_LIST EMPTY_DICT EMPTY_SET BININT BININT1 BININT2 BINFLOAT BINUNICODE "
    "SHORT_BINSTRING BINPERSID BINGET LONG_BINGET BINPUT LONG_BINPUT LONG1 PROTO STOP").split()}
# How far each opcode's argument reaches: a fixed size, a length prefix (width, signed), or lines.
_FIXED = {**dict.fromkeys(b"(.012N\x88\x89)]}\x8ft\x85\x86\x87ld\x91aesu\x90Rbo\x81\x92\x93Q\x94\x97\x98", 0),
          **dict.fromkeys(b"Khq\x82\x80", 1), **dict.fromkeys(b"M\x83", 2), **dict.fromkeys(b"Jjr\x84", 4),
          **dict.fromkeys(b"G\x95", 8)}
_COUNTED = {0x8A: (1, False), 0x8B: (4, True), ord("T"): (4, True), ord("U"): (1, False), ord("B"): (4, False),
            ord("C"): (1, False), 0x8E: (8, False), ord("X"): (4, False), 0x8C: (1, False), 0x8D: (8, False),
            0x96: (8, False)}
_LINES = {**dict.fromkeys(b"ILFSVPpg", 1), **dict.fromkeys(b"ci", 2)}
_STR = set(b"SVTUX\x8c\x8d")            # opcodes that push a str (the 2.x STRING ones too, as torch.load decodes them)
_BYTES = set(b"BC\x8e\x96")
_INTS = set(b"ILJKM\x8a\x8b")
_NOT_STR = {"bytes", "int", "const", "tuple", "list", "dict", "set", "global"}  # STACK_GLOBAL fails on these
_TUPLE_SIZE = {"EMPTY_TUPLE": 0, "TUPLE1": 1, "TUPLE2": 2, "TUPLE3": 3}
_DICTS = ("dict", "result:collections.OrderedDict", "result:collections.Counter")
_CONTAINERS = {"APPEND": ("list",), "APPENDS": ("list",), "ADDITEMS": ("set",), "SETITEM": _DICTS,
               "SETITEMS": _DICTS}


class PickleScan:
    """What a pickle does, read from its opcodes by a stack machine that runs nothing.

    It follows the values on the stack and in the memo exactly (so a module name fetched back from the memo,
    or computed, is seen for what it is), records every import and call, and checks at the same time every rule
    torch's weights_only unpickler applies: its opcodes, its allowlist, what each call and BUILD may target."""

    def __init__(self) -> None:
        self.imports: list[str] = []      # every name pickle.load would import; "?" when it cannot be known
        self.calls = 0                    # REDUCE, NEWOBJ, OBJ, INST, BUILD and friends
        self.refused: str | None = None   # why torch.load's defaults refuse it (None: they accept it)
        self.stopped = False              # reached STOP
        self.damage: str | None = None    # where and why the bytes stop being a pickle
        self.value = None                 # what STOP returns, when it is a number or a string
        self.proto: int | None = None
        self.storages: list[tuple] = []   # (key, location) of every tensor storage it asks torch for
        self.end = 0                      # where reading stopped


def scan_pickle(src, persistent: str | None = None) -> PickleScan:
    """Read one pickle from src (a Window or Inflated) up to STOP, as CPython's unpickler reads it.

    Where CPython would stop with an error the scan stops too, but only for errors that are certain (a byte
    that is no opcode, an empty stack, a missing memo entry, the end of the data); it reads everything else
    leniently, so it sees at least every opcode the real unpickler would run. `persistent` names the
    persistent-id layout torch.load accepts here: "zip" (data.pkl), "legacy", or None (plain pickle.load)."""
    scan = PickleScan()
    stack: list = []
    marks: list[list] = []
    memo: dict = {}
    start = src.pos

    def refuse(why: str) -> None:
        if scan.refused is None:
            scan.refused = why

    def pop():
        if not stack:
            raise Damaged("the stack runs empty")
        return stack.pop()

    def pop_mark() -> list:
        nonlocal stack
        if not marks:
            raise Damaged("no MARK to pop to")
        items, stack = stack, marks.pop()
        return items

    def imported(module: str, name: str, opcode: str) -> tuple:
        if (scan.proto or 0) < 3:  # CPython renames Python 2 names for protocols 0-2
            full = ".".join(_compat_pickle.NAME_MAPPING.get((module, name), (
                _compat_pickle.IMPORT_MAPPING.get(module, module), name)))
        else:
            full = f"{module}.{name}"
        scan.imports.append(full)
        if opcode != "GLOBAL":
            return ("global", full)
        # torch's own reading of GLOBAL: its renames, then its blocklist, then its allowlist
        torch_module, torch_name = TORCH_RENAMED_NAMES.get((module, name), (
            TORCH_RENAMED_MODULES.get(module, module), name))
        seen = f"{torch_module}.{torch_name}"
        if torch_module in TORCH_2_13_BLOCKED_MODULES:
            refuse(f"it imports {seen}, from a module torch never allows")
        elif seen not in ALLOWED:
            refuse(f"it imports {seen}, which is not on torch's allowlist")
        return ("global", seen)

    try:
        while True:
            scan.end = src.pos
            op = src.read(1)
            if not op:
                raise Damaged("the data ends before the pickle's STOP")
            code = op[0]
            name = _OPNAMES.get(code)
            if name is None:
                raise Damaged(f"byte {op.hex()} at offset {src.pos - 1 - start} is not a pickle opcode")
            if code not in TORCH_OPCODES:
                refuse(f"it uses the {name} opcode, which torch's weights_only unpickler does not support")
            arg = _argument(src, code, name)
            # -- what the opcode does to the stack and the memo
            if name == "PROTO":
                scan.proto = arg[0]
                if arg[0] > 5:
                    raise Damaged(f"protocol {arg[0]} does not exist")
            elif name in ("FRAME", "READONLY_BUFFER"):
                pass
            elif name == "STOP":
                value = pop()
                scan.value = value if value[0] in ("int", "str") else None
                scan.stopped = True
                scan.end = src.pos
                return scan
            elif name == "MARK":
                marks.append(stack)
                stack = []
            elif name == "POP":
                if stack:
                    stack.pop()
                else:
                    pop_mark()  # CPython: POP with nothing above the last MARK removes that MARK
            elif name == "POP_MARK":
                pop_mark()
            elif name == "DUP":
                value = pop()
                stack += [value, value]
            elif code in _STR:
                text = _text(code, arg)
                if code in TORCH_OPCODES and text is not None and not _utf8(arg[0]):
                    refuse(f"a {name} string is not UTF-8, which torch's unpickler cannot decode")
                stack.append(("str", text))
            elif code in _BYTES:
                stack.append(("bytes", None))
            elif code in _INTS:
                stack.append(("int", _integer(code, arg)))
            elif name in ("FLOAT", "BINFLOAT", "NONE", "NEWTRUE", "NEWFALSE"):
                stack.append(("const", None))
            elif name in ("EMPTY_TUPLE", "TUPLE", "TUPLE1", "TUPLE2", "TUPLE3"):
                if name == "TUPLE":
                    items = pop_mark()
                else:
                    items = [pop() for _ in range(_TUPLE_SIZE[name])][::-1]
                stack.append(("tuple", items))
            elif name in ("EMPTY_LIST", "LIST", "EMPTY_DICT", "DICT", "EMPTY_SET", "FROZENSET"):
                if name in ("LIST", "DICT", "FROZENSET"):
                    pop_mark()
                stack.append(({"L": "list", "D": "dict"}.get(name.split("_")[-1][0], "set"), None))
            elif name in ("APPEND", "APPENDS", "SETITEM", "SETITEMS", "ADDITEMS"):
                if name == "APPEND":
                    pop()
                elif name == "SETITEM":
                    pop(), pop()
                else:
                    pop_mark()
                if not stack:
                    raise Damaged(f"{name} has nothing to add to")
                target = stack[-1]
                shape = target[0] if target[0] != "result" else f"result:{target[1]}"
                if shape not in _CONTAINERS[name]:
                    scan.calls += 1  # on anything else CPython calls the object's own append/extend/add/[]=
                    refuse(f"{name} targets {_shown(target)}, which torch's unpickler refuses")
            elif name in ("GLOBAL", "INST"):
                module, global_name = (a.decode("utf-8", "surrogateescape") for a in arg)
                value = imported(module, global_name, name)
                if name == "INST":
                    pop_mark()
                    scan.calls += 1
                    value = ("result", value[1])
                stack.append(value)
            elif name == "STACK_GLOBAL":
                global_name, module = pop(), pop()
                if module[0] in _NOT_STR or global_name[0] in _NOT_STR:
                    raise Damaged("STACK_GLOBAL needs two strings")
                if module[0] == "str" == global_name[0] and module[1] is not None and global_name[1] is not None:
                    stack.append(imported(module[1], global_name[1], name))
                else:  # a name made while loading (by a call) or too long to keep: unknowable here
                    scan.imports.append("?")
                    stack.append(("global", "?"))
            elif name in ("EXT1", "EXT2", "EXT4"):
                scan.imports.append("?")  # copyreg's extension registry names the import, not the file
                stack.append(("global", "?"))
            elif name in ("REDUCE", "NEWOBJ", "NEWOBJ_EX", "OBJ"):
                scan.calls += 1
                if name == "OBJ":
                    items = pop_mark()
                    if not items:
                        raise Damaged("OBJ has no class to call")
                    func = items[0]
                else:
                    if name == "NEWOBJ_EX":
                        pop()
                    pop()
                    func = pop()
                kinds = {"REDUCE": ("class", "function"), "NEWOBJ": ("class",)}.get(name, ())
                if func[0] != "global" or ALLOWED.get(func[1]) not in kinds:
                    refuse(f"{name} calls {_shown(func)}, which torch's unpickler refuses")
                stack.append(("result", func[1] if func[0] == "global" else "?"))
            elif name == "BUILD":
                pop()
                if not stack:
                    raise Damaged("BUILD has nothing to build")
                scan.calls += 1
                if not (stack[-1][0] == "result" and stack[-1][1] in BUILDABLE):
                    refuse(f"BUILD sets the state of {_shown(stack[-1])}, which torch's unpickler refuses")
            elif name in ("PERSID", "BINPERSID"):
                pid = ("str", None) if name == "PERSID" else pop()
                scan.calls += 1
                _persistent(scan, pid, persistent, refuse)
                stack.append(("result", "storage"))
            elif name in ("PUT", "BINPUT", "LONG_BINPUT", "MEMOIZE"):
                if not stack:
                    raise Damaged(f"{name} with an empty stack")
                memo[len(memo) if name == "MEMOIZE" else _index(name, arg)] = stack[-1]
            elif name in ("GET", "BINGET", "LONG_BINGET"):
                index = _index(name, arg)
                if index not in memo:
                    raise Damaged(f"{name} {index}: nothing was memoized there")
                stack.append(memo[index])
            elif name == "NEXT_BUFFER":
                stack.append(("unknown", None))
            if len(stack) + len(memo) + len(marks) > 1_000_000:
                raise Unverifiable("the pickle builds more than a million values")
    except Damaged as error:
        scan.damage = str(error)
        refuse(f"the pickle is damaged ({error})")
    scan.end = src.pos
    return scan


def _argument(src, code: int, name: str):
    """Read an opcode's argument exactly as far as CPython reads it; keep at most 4 KB of any of it."""
    if code in _LINES:
        lines = [src.readline() for _ in range(_LINES[code])]
        if any(line is None for line in lines):
            raise Damaged(f"{name}'s argument is cut off")
        return lines if len(lines) > 1 else lines[0]
    if code in _COUNTED:
        width, signed = _COUNTED[code]
        raw = src.read(width)
        if len(raw) < width:
            raise Damaged(f"{name}'s length is cut off")
        length = int.from_bytes(raw, "little", signed=signed)
        if length < 0:
            raise Damaged(f"{name} has a negative length")
        keep = src.read(min(length, 4096))
        if len(keep) + src.skip(length - len(keep)) < length:
            raise Damaged(f"{name}'s data is cut off")
        return keep, length
    width = _FIXED[code]
    raw = src.read(width)
    if len(raw) < width:
        raise Damaged(f"{name}'s argument is cut off")
    return raw


_OPNAMES = {ord(c): n for c, n in (
    ("(", "MARK"), (".", "STOP"), ("0", "POP"), ("1", "POP_MARK"), ("2", "DUP"), ("F", "FLOAT"), ("I", "INT"),
    ("J", "BININT"), ("K", "BININT1"), ("L", "LONG"), ("M", "BININT2"), ("N", "NONE"), ("P", "PERSID"),
    ("Q", "BINPERSID"), ("R", "REDUCE"), ("S", "STRING"), ("T", "BINSTRING"), ("U", "SHORT_BINSTRING"),
    ("V", "UNICODE"), ("X", "BINUNICODE"), ("a", "APPEND"), ("b", "BUILD"), ("c", "GLOBAL"), ("d", "DICT"),
    ("}", "EMPTY_DICT"), ("e", "APPENDS"), ("g", "GET"), ("h", "BINGET"), ("i", "INST"), ("j", "LONG_BINGET"),
    ("l", "LIST"), ("]", "EMPTY_LIST"), ("o", "OBJ"), ("p", "PUT"), ("q", "BINPUT"), ("r", "LONG_BINPUT"),
    ("s", "SETITEM"), ("t", "TUPLE"), (")", "EMPTY_TUPLE"), ("u", "SETITEMS"), ("G", "BINFLOAT"),
    ("\x80", "PROTO"), ("\x81", "NEWOBJ"), ("\x82", "EXT1"), ("\x83", "EXT2"), ("\x84", "EXT4"),
    ("\x85", "TUPLE1"), ("\x86", "TUPLE2"), ("\x87", "TUPLE3"), ("\x88", "NEWTRUE"), ("\x89", "NEWFALSE"),
    ("\x8a", "LONG1"), ("\x8b", "LONG4"), ("B", "BINBYTES"), ("C", "SHORT_BINBYTES"),
    ("\x8c", "SHORT_BINUNICODE"), ("\x8d", "BINUNICODE8"), ("\x8e", "BINBYTES8"), ("\x8f", "EMPTY_SET"),
    ("\x90", "ADDITEMS"), ("\x91", "FROZENSET"), ("\x92", "NEWOBJ_EX"), ("\x93", "STACK_GLOBAL"),
    ("\x94", "MEMOIZE"), ("\x95", "FRAME"), ("\x96", "BYTEARRAY8"), ("\x97", "NEXT_BUFFER"),
    ("\x98", "READONLY_BUFFER"))}
# What torch.load's unpickler lets BUILD set state on: tensors, parameters and ordered dicts it made itself.
BUILDABLE = {"torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor", "torch._utils._rebuild_parameter",
             "torch._utils._rebuild_parameter_with_state", "torch._tensor._rebuild_from_type_v2",
             "torch.nn.parameter.Parameter", "collections.OrderedDict", "torch._utils._rebuild_tensor_v3",
             "torch._utils._rebuild_qtensor", "torch._utils._rebuild_sparse_tensor"}


def _text(code: int, arg) -> str | None:
    """The str a string opcode pushes (None when it is too long to keep; such a name matches nothing)."""
    if code in (ord("S"), ord("V")):
        line = arg
        if code == ord("V"):
            return line.decode("raw_unicode_escape", "replace")
        if len(line) >= 2 and line[:1] == line[-1:] and line[:1] in (b"'", b'"'):
            try:
                return codecs.escape_decode(line[1:-1])[0].decode("utf-8", "surrogateescape")
            except ValueError:
                return None
        return None
    data, length = arg
    if length > len(data):
        return None
    return data.decode("utf-8", "surrogateescape")


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8", "surrogatepass")
        return True
    except UnicodeDecodeError:
        return False


def _integer(code: int, arg) -> int | None:
    try:
        if code in (ord("I"), ord("L")):
            return int(arg.rstrip(b"L"), 0)
        if code in (ord("\x8a"), ord("\x8b")):
            data, length = arg
            return int.from_bytes(data, "little", signed=True) if length == len(data) else None
        return int.from_bytes(arg, "little", signed=code == ord("J"))
    except ValueError:
        return None


def _index(name: str, arg) -> int:
    if name in ("PUT", "GET"):
        try:
            return int(arg)
        except ValueError:
            raise Damaged(f"{name} {arg[:20]!r} is not a number") from None
    return int.from_bytes(arg, "little")


def _shown(value) -> str:
    return value[1] if value[0] in ("global", "result") and value[1] else f"a {value[0]}"


def _persistent(scan: PickleScan, pid, layout: str | None, refuse) -> None:
    """torch.load's own checks on a persistent id: ('storage', storage type, key, location, numel[, view])."""
    items = pid[1] if pid[0] == "tuple" else []
    size = {"zip": 5, "legacy": 6}.get(layout)
    if len(items) != size or items[0] != ("str", "storage"):
        refuse("it asks for a persistent object torch.load does not provide")
        return
    storage_type, key, location = items[1], items[2], items[3]
    if not (storage_type[0] == "global" and storage_type[1].endswith("Storage")
            and storage_type[1] != "torch.storage.TypedStorage" and storage_type[1] in ALLOWED):
        refuse(f"a storage of type {_shown(storage_type)}")
    if key[0] != "str" or location[0] != "str" or items[4][0] != "int":
        refuse("a storage with a malformed key, location or size")
        return
    scan.storages.append((key[1], location[1]))
# --8<-- [end:pickle]


ALLOWED, ALLOWED_SOURCE = allowed_globals()


# --8<-- [start:pickle-verdict]
def _pickle_verdict(scans: list[PickleScan], where: str, safe: str, objects: str, plain: str,
                    extra: str = "") -> Verdict:
    """One verdict for the pickles a loader would run: the worst of them decides.

    safe: the kind when torch.load's defaults accept every one; objects: the kind when loading needs trust;
    plain: the kind when the pickles import and call nothing (so nothing can run, whatever loads them)."""
    names = sorted({n for s in scans for n in s.imports})
    outside = [n for n in names if n not in ALLOWED]
    code = [n for n in outside if is_code(n)]
    refused = next((s.refused for s in scans if s.refused), None)
    damage = next((s.damage for s in scans if s.damage), None)
    listed = code or outside
    shown = ", ".join("a name made while loading" if n == "?" else n for n in listed[:5])
    shown += f" and {len(listed) - 5} more" if len(listed) > 5 else ""
    refuses = ", and torch.load refuses it with its defaults" if safe.startswith("torch") else ""
    if code:
        return Verdict("dangerous-pickle", f"{where} that imports {shown}: loading it runs code its author chose. "
                                           "Do not load it", "danger")
    if outside:
        return Verdict(objects, f"{where} that imports {shown}, which torch's allowlist does not have: loading it "
                                f"runs whatever those names do{refuses}. Load it only from a source you trust",
                       "danger")
    if not names and not any(s.calls for s in scans):
        if damage:
            return Verdict("damaged", f"{where}, damaged: {damage}")
        return Verdict(plain, f"{where} of plain data: it imports and calls nothing"
                              + (f"; torch.load's defaults refuse it because {refused}" if refused else ""))
    if refused:
        return Verdict(objects, f"{where} whose imports are all on torch's allowlist, but torch.load's defaults "
                                f"refuse it: {refused}; loading it anyway takes weights_only=False, "
                                "so only from a source you trust", "danger")
    if safe in ("torch-weights", "torch-legacy", "torch-export"):
        return Verdict(safe, f"{where} that torch.load accepts with its defaults (weights_only=True): every "
                             f"import is on {ALLOWED_SOURCE}'s allowlist{extra}")
    return Verdict(safe, f"{where} that imports only names on torch's allowlist and calls them only as torch's "
                         "weights_only unpickler allows")
# --8<-- [end:pickle-verdict]


# --8<-- [start:zip]
class Member:
    def __init__(self, name: str, method: int, csize: int, size: int, header: int, flags: int) -> None:
        self.name, self.method, self.csize, self.size, self.header, self.flags = (
            name, method, csize, size, header, flags)


def zip_members(src: Window, size: int) -> list[Member]:
    """The central directory, read the way torch's zip reader (miniz) reads it: the last end record."""
    tail_start = max(0, size - 65557)
    src.pos = tail_start
    tail = src.read(size - tail_start)
    end = tail.rfind(b"PK\x05\x06", 0, max(0, len(tail) - 18))  # the last one with 22 bytes of record
    if end < 0:
        raise Damaged("no end-of-archive record")
    entries, cd_size, cd_offset = struct.unpack("<10xHII", tail[end:end + 20])
    if cd_offset == 0xFFFFFFFF or entries == 0xFFFF:  # zip64: the real numbers are in the zip64 end record
        locator = tail.rfind(b"PK\x06\x07", 0, end)
        if locator < 0:
            raise Damaged("a zip64 archive without its locator")
        (record,) = struct.unpack("<Q", tail[locator + 8:locator + 16])
        src.pos = record
        raw = src.read(56)
        if raw[:4] != b"PK\x06\x06":
            raise Damaged("the zip64 end record is not where the locator says")
        entries, cd_size, cd_offset = struct.unpack("<32xQQQ", raw)[0], *struct.unpack("<40xQQ", raw)
    if cd_offset + cd_size > size:
        raise Damaged("the central directory lies outside the file")
    src.pos = cd_offset
    data = src.read(cd_size)
    members, pos = [], 0
    for _ in range(entries):
        if data[pos:pos + 4] != b"PK\x01\x02":
            raise Damaged("a broken central directory entry")
        flags, method = struct.unpack("<HH", data[pos + 8:pos + 12])
        csize, usize, n, m, k = struct.unpack("<IIHHH", data[pos + 20:pos + 34])
        (header,) = struct.unpack("<I", data[pos + 42:pos + 46])
        name = data[pos + 46:pos + 46 + n].decode("utf-8" if flags & 0x800 else "cp437")
        extra = data[pos + 46 + n:pos + 46 + n + m]
        while len(extra) >= 4:  # zip64 extra field: 64-bit sizes and offset, in this order, when needed
            tag, length = struct.unpack("<HH", extra[:4])
            if tag == 1:
                values = list(struct.unpack(f"<{length // 8}Q", extra[4:4 + length - length % 8]))
                if usize == 0xFFFFFFFF and values:
                    usize = values.pop(0)
                if csize == 0xFFFFFFFF and values:
                    csize = values.pop(0)
                if header == 0xFFFFFFFF and values:
                    header = values.pop(0)
            extra = extra[4 + length:]
        members.append(Member(name, method, csize, usize, header, flags))
        pos += 46 + n + m + k
    return members


def member_stream(src: Window, member: Member, budget: Budget):
    """A reader over a member's bytes, inflated as read for deflate; None for methods torch cannot read."""
    src.pos = member.header
    local = src.read(30)
    if local[:4] != b"PK\x03\x04":
        raise Damaged(f"{member.name}: no local header where the directory says")
    n, m = struct.unpack("<HH", local[26:30])
    start = member.header + 30 + n + m
    raw = Window(src.file, start, start + member.csize, budget)
    if member.method == 0:
        return Window(src.file, start, start + min(member.csize, member.size), budget)
    if member.method == 8:
        return Inflated(raw, zlib.decompressobj(-15))
    return None


def _zip_problems(src: Window, members: list[Member]) -> list[str]:
    """Ways the archive could mean one thing to torch's reader and another to Python's zipfile (or numpy)."""
    problems = []
    seen: dict[str, str] = {}
    for member in members:  # torch's reader finds names case-insensitively, takes one of equal names
        key = member.name.lower()
        if key in seen:
            problems.append(f"two members named {member.name!r}"
                            + ("" if seen[key] == member.name else f" and {seen[key]!r} (same name to torch)"))
        seen[key] = member.name
        src.pos = member.header
        local = src.read(30)
        if local[:4] != b"PK\x03\x04":
            problems.append(f"{member.name!r} has no local header")
            continue
        n = struct.unpack("<H", local[26:28])[0]
        if src.read(n).decode("utf-8" if member.flags & 0x800 else "cp437", "replace") != member.name:
            problems.append(f"{member.name!r} is named differently in its local header")
        if member.flags & 1:
            problems.append(f"{member.name!r} is encrypted")
        if member.method not in (0, 8):
            problems.append(f"{member.name!r} uses compression method {member.method}, which torch cannot read")
    try:  # Python's zipfile must see the same members at the same places
        with zipfile.ZipFile(src.file) as archive:
            theirs = [(i.filename, i.header_offset) for i in archive.infolist()]
    except Exception as error:
        problems.append(f"Python's zipfile cannot read it ({type(error).__name__})")
    else:
        ours = [(m.name, m.header) for m in members]
        if theirs != ours:
            problems.append("Python's zipfile sees other members than torch's reader")
    return problems


def _zip_archive(src: Window, size: int) -> Verdict:
    members = zip_members(src, size)
    if not members:
        raise Damaged("an archive with no members")
    budget = src.budget
    names = [m.name for m in members]
    lower = [n.lower() for n in names]
    prefix = names[0].split("/")[0] + "/" if "/" in names[0] else None  # torch reads every record under it

    def record(name: str) -> Member | None:  # what torch's reader opens for a record name (case-insensitive)
        if prefix is None:
            return None
        return next((m for m in members if m.name.lower() == (prefix + name).lower()), None)

    def scan_member(member: Member, persistent: str | None = None) -> PickleScan | Verdict | None:
        stream = member_stream(src, member, budget)
        if stream is None:
            return None
        if stream.read(4) == b"PK\x03\x04":  # a torch.save zip kept inside (the .pt2 layout does this)
            return _nested_zip(src, member, budget)
        return scan_pickle(member_stream(src, member, budget), persistent)

    # Every .pkl member is read, whatever folder it sits in: a payload must not hide where torch would not look
    # today. The one torch.load reads is <first member's folder>/data.pkl.
    main = record("data.pkl")
    scans, inner = [], []
    for member in members:
        if member.name.lower().endswith(".pkl"):
            found = scan_member(member, "zip" if member is main else None)
            if isinstance(found, Verdict):
                inner.append(found)
            elif found is not None:
                if member is not main:
                    found.refused = None  # torch.load does not read it; only what it imports counts
                scans.append((member, found))
    problems = _zip_problems(src, members)
    if problems:
        worst = _pickle_verdict([s for _, s in scans], "its pickles", "-", "-", "-") if scans else None
        also = f"; {worst.detail}" if worst and worst.risk == "danger" else ""
        return Verdict("suspicious-zip", f"a zip archive that torch and other readers may read differently "
                                         f"({'; '.join(problems[:3])}){also}: do not load it", "danger")
    if any(n.endswith("constants.pkl") for n in lower):
        return Verdict("torchscript", "a TorchScript archive (constants.pkl, code/): torch.jit.load runs the code "
                                      "stored in it (its __setstate__ methods, for a start), so load it only "
                                      "from a source you trust", "danger")
    if record("archive_format"):
        return _torch_export(src, members, record, scans, budget)
    if record("config.json") and record("model.weights.h5"):
        return Verdict("keras", "a Keras 3 .keras archive (config.json plus model.weights.h5)")
    if any(n.endswith(".npy") for n in lower) and main is None:
        return _npz(src, members, budget)
    if main is None:
        if scans:
            return _pickle_verdict([s for _, s in scans], "a zip archive whose pickles", "pickle", "pickle",
                                   "pickle")
        return Verdict("zip", f"a zip archive with {_n(len(names), 'member')}, none of them a PyTorch one")
    main_scan = next(s for m, s in scans if m is main)
    missing = [key for key, _ in main_scan.storages if not record(f"data/{key}")]
    if missing:
        main_scan.refused = main_scan.refused or f"its storages {', '.join(missing[:3])} are not in the archive"
    if any(not n.startswith(prefix) for n in names):
        main_scan.refused = main_scan.refused or f"not all its members are in {prefix}, which torch's reader refuses"
    if not (record(".data/version") or record("version")):
        main_scan.refused = main_scan.refused or "it has no version record"
    places = sorted({loc for _, loc in main_scan.storages if loc and not loc.startswith("cpu")})
    where = f"; saved on {', '.join(places)}, so add map_location='cpu' where that is missing" if places else ""
    count = f" ({_n(len({k for k, _ in main_scan.storages}), 'tensor storage')}{where})"
    return _pickle_verdict([s for _, s in scans], "a torch.save zip", "torch-weights", "torch-pickled-objects",
                           "torch-data", count)


def _torch_export(src: Window, members: list[Member], record, scans, budget: Budget) -> Verdict:
    # torch.export.load passes some members to torch.load, falling back to weights_only=False when the
    # defaults refuse them, and some to pickle.loads: the sample inputs, the weights and constants its
    # configs mark use_pickle, custom and opaque objects, and the .pt files of the older layout. Those are
    # judged as the files torch.load would open; raw tensor bytes are not read at all.
    fmt = member_stream(src, record("archive_format"), budget).read(64).decode("ascii", "replace").strip()
    pickled = set()
    for member in members:
        low = member.name.lower()
        if "/data/sample_inputs/" in low or (re.search(r"/data/(weights|constants)/[^/]+\.pt$", low)):
            pickled.add(member.name)
        if re.search(r"/data/(weights|constants)/[^/]+_config\.json$", low):
            stream = member_stream(src, member, budget)
            try:
                config = json.loads(stream.read(16 * 2**20)) if stream else None
                entries = config["config"].values()
                folder = member.name.rsplit("/", 1)[0]
                pickled |= {f"{folder}/{e['path_name']}" for e in entries
                            if e.get("use_pickle") or str(e.get("path_name", "")).startswith(("custom_obj", "opaque"))}
            except Exception:
                return Verdict("unverified", f"a torch.export archive whose {member.name} does not parse: "
                                             "treat it as untrusted", "danger")
    found = [s for _, s in scans]
    for member in members:
        if member.name not in pickled:
            continue
        stream = member_stream(src, member, budget)
        if stream is None:
            return Verdict("unverified", f"a torch.export archive whose {member.name} uses an unknown "
                                         "compression: treat it as untrusted", "danger")
        if stream.read(4) == b"PK\x03\x04":
            inner = _nested_zip(src, member, budget)
            if inner.risk != "ok":
                return Verdict("torch-export", f"a torch.export archive whose {member.name} is {inner.detail}",
                               "danger")
            continue
        found += _torch_load_scans(member_stream(src, member, budget))
    if found:
        verdict = _pickle_verdict(found, "a torch.export archive with pickles", "torch-export", "torch-export",
                                  "torch-export")
        if verdict.risk != "ok":
            return verdict
    return Verdict("torch-export", f"a torch.export archive (archive_format {fmt!r}): a graph plus weights, "
                                   "load with torch.export.load")


def _torch_load_scans(stream) -> list[PickleScan]:
    """What torch.load unpickles from a file that is not a zip: one pickle, or the five of the legacy layout."""
    scans = [scan_pickle(stream)]
    if scans[0].value == ("int", TORCH_LEGACY_MAGIC):
        while len(scans) < 5 and scans[-1].stopped:
            scans.append(scan_pickle(stream, persistent="legacy" if len(scans) == 3 else None))
    return scans


def _nested_zip(src: Window, member: Member, budget: Budget) -> Verdict:
    """A torch.save zip stored inside another archive, identified as a file of its own."""
    if member.method != 0:
        return Verdict("unverified", "a compressed archive inside the archive, not opened here", "danger")
    src.pos = member.header + 26
    n, m = struct.unpack("<HH", src.read(4))
    start = member.header + 30 + n + m
    try:
        return _zip_archive(Window(_Offset(src.file, start, member.csize), 0, member.csize, budget), member.csize)
    except Damaged as error:
        return Verdict("damaged", f"a broken archive inside the archive ({error})", "danger")


class _Offset:
    """A file seen from a start offset on, so that an archive stored inside another one reads as a file."""

    def __init__(self, file, start: int, size: int) -> None:
        self.file, self.start, self.size = file, start, size

    def seek(self, n: int, whence: int = 0) -> int:
        base = (0, self.tell(), self.size)[whence]
        return self.file.seek(self.start + max(0, min(base + n, self.size))) - self.start

    def read(self, n: int = -1) -> bytes:
        left = self.size - self.tell()
        return self.file.read(left if n is None or n < 0 else min(n, left))

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.file.tell() - self.start
# --8<-- [end:zip]


# --8<-- [start:legacy]
def _legacy_torch(src: Window, magic: PickleScan) -> Verdict:
    # Before PyTorch 1.6 torch.save wrote five pickles in a row (magic number, protocol version, system
    # information, the object itself, the keys of its storages), then the raw tensor bytes. torch.load runs
    # each of the five through the same unpickler, so each is checked, at whatever pickle protocol it uses.
    scans = [magic]
    while len(scans) < 5 and scans[-1].stopped:
        src.pos = scans[-1].end
        scans.append(scan_pickle(src, persistent="legacy" if len(scans) == 3 else None))
    if len(scans) < 5 or not scans[-1].stopped:
        scans[-1].refused = scans[-1].refused or "it ends before its fifth pickle"
    elif scans[1].value != ("int", 1001):
        scans[1].refused = scans[1].refused or "its protocol version is not 1001"
    places = sorted({loc for _, loc in scans[3].storages if loc and not loc.startswith("cpu")}) if len(
        scans) > 3 else []
    where = f" (saved on {', '.join(places)}, so add map_location='cpu' where that is missing)" if places else ""
    verdict = _pickle_verdict(scans, "a legacy (pre-1.6) torch.save file", "torch-legacy", "torch-pickled-objects",
                              "torch-data", where)
    return verdict


def _is_tar(head: bytes) -> bool:
    try:
        tarfile.TarInfo.frombuf(head[:512], "utf-8", "surrogateescape")
        return True
    except (tarfile.TarError, ValueError):
        return False


def _legacy_tar(src: Window) -> Verdict:
    # PyTorch's first format (2017): a tar with members "storages", "tensors" and "pickle". torch.load refuses
    # it with weights_only=True and unpickles all three with weights_only=False.
    found, scans = [], []
    src.pos = 0
    for _ in range(10_000):
        try:
            info = tarfile.TarInfo.frombuf(src.read(512), "utf-8", "surrogateescape")
        except (tarfile.TarError, ValueError):
            break
        start = src.pos
        found.append(info.name)
        if info.name in ("pickle", "storages", "tensors"):
            scans.append(scan_pickle(Window(src.file, start, start + info.size, src.budget)))
        src.pos = start + (info.size + 511) // 512 * 512
    names = sorted({n for s in scans for n in s.imports})
    shown = ", ".join(names[:5]) or "nothing"
    if {"pickle", "storages", "tensors"} <= set(found):
        return Verdict("torch-legacy-tar", f"a 2017-era torch.save tar file: torch.load refuses it with its "
                                           f"defaults and unpickles its members otherwise (they import {shown}); "
                                           "load it only from a source you trust", "danger")
    return Verdict("tar", f"a tar archive of {_n(len(found), 'member')}: torch.load(weights_only=False) would read "
                          "it as a 2017-era torch.save file; unpack it and identify the files inside", "danger")
# --8<-- [end:legacy]


# --8<-- [start:containers]
def _npy(src, what: str) -> Verdict:
    """A .npy stream read from its start: magic, version, header dict, then the data."""
    if src.read(6) != b"\x93NUMPY":
        raise Damaged("no .npy magic")
    major = src.read(2)[:1]
    width = 2 if major == b"\x01" else 4
    length = int.from_bytes(src.read(width), "little")
    if length > 1 << 20:
        raise Unverifiable(f"its header claims {length} bytes")
    text = src.read(length).decode("latin-1")
    try:  # literals only: never runs code. numpy also accepts Python 2's long integers, "2L"
        header = ast.literal_eval(re.sub(r"\b(\d+)L\b", r"\1", text))
        descr = header["descr"]
    except Exception:
        header, descr = {}, None  # numpy may read what we cannot: judge the data as if it were a pickle
    # numpy.load(allow_pickle=True) unpickles what follows the header when the dtype holds Python objects.
    # Without numpy here, a dtype that is not made of plain number, string and bytes types counts as one.
    if not _plain_dtype(descr):
        scan = scan_pickle(src)
        return _pickle_verdict([scan], f"{what} holding Python objects, i.e. a pickle (numpy.load refuses it "
                                       "unless allow_pickle=True),", "numpy-pickle", "numpy-pickle",
                               "numpy-pickle")
    return Verdict("numpy", f"{what}: an array of {descr!r}, shape {header.get('shape')}; no pickle inside")


def _plain_dtype(descr) -> bool:
    """A .npy dtype description made only of numbers, strings, bytes and dates, including structured ones."""
    if isinstance(descr, str):
        return bool(re.fullmatch(r"[<>|=]?([?biufcaSUV]\d*|[mM]8(\[\w+\])?)", descr))
    if isinstance(descr, list):  # structured: (name, dtype) or (name, dtype, shape) per field
        return all(isinstance(f, tuple) and len(f) in (2, 3) and _plain_dtype(f[1]) for f in descr)
    return False


def _npz(src: Window, members: list[Member], budget: Budget) -> Verdict:
    arrays = 0
    for member in members:
        if not member.name.lower().endswith(".npy"):
            continue
        stream = member_stream(src, member, budget)
        if stream is None:
            return Verdict("unverified", f"a NumPy .npz archive whose {member.name} uses an unknown compression: "
                                         "treat it as untrusted", "danger")
        arrays += 1
        verdict = _npy(stream, f"a NumPy .npz archive whose {member.name} is")
        if verdict.risk != "ok" or verdict.kind != "numpy":
            return verdict
    return Verdict("numpy", f"a NumPy .npz archive of {_n(arrays, 'array')}; no pickle inside")


COMPRESSED = ((b"\x1f\x8b", "gzip"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"), (b"\x5d\x00\x00", "lzma"),
              (b"\x78\x01", "zlib"), (b"\x78\x5e", "zlib"), (b"\x78\x9c", "zlib"), (b"\x78\xda", "zlib"),
              (b"ZF0x", "zlib"))


def _decompressed_pickle(file, head: bytes, size: int, budget: Budget) -> Verdict | None:
    """joblib (among others) compresses pickles with gzip, bz2, xz, lzma or zlib: look inside, as it would."""
    method = next((m for magic, m in COMPRESSED if head.startswith(magic)), None)
    if method is None:
        return None
    def fresh():  # a new decompressor each time the stream is read from its start
        if method in ("gzip", "zlib"):
            return zlib.decompressobj(31 if method == "gzip" else 15)
        if method == "bz2":
            import bz2
            return bz2.BZ2Decompressor()
        import lzma
        return lzma.LZMADecompressor()

    try:
        fresh()
    except ImportError:
        return Verdict("unverified", f"{method}-compressed data this Python cannot open: treat it as untrusted",
                       "danger")
    start = 0
    if head.startswith(b"ZF"):  # joblib < 0.10: "ZF", hex(length) padded to 19 (20 up to 0.8.4), then zlib
        start = 21 if head[21:22] == b"\x78" else 22
    try:
        if Inflated(Window(file, start, size, budget), fresh()).read(6) == b"\x93NUMPY":
            return _npy(Inflated(Window(file, start, size, budget), fresh()),
                        f"a {method}-compressed NumPy array (as joblib caches them)")
        scan = scan_pickle(Inflated(Window(file, start, size, budget), fresh()))
    except (zlib.error, OSError, EOFError, ValueError):
        return None
    if not (scan.imports or scan.calls):
        if head.startswith(b"ZF"):
            return Verdict("compressed-data", "zlib-compressed data in joblib's pre-0.10 format, not a pickle")
        return None
    joblib = any(n.startswith("joblib.") for n in scan.imports)
    return _pickle_verdict([scan], f"a {method}-compressed {'joblib ' if joblib else ''}pickle",
                           "joblib" if joblib else "pickle", "joblib" if joblib else "pickle", "pickle")
# --8<-- [end:containers]


# --8<-- [start:headers]
def _wrong_download(head: bytes, size: int) -> Verdict | None:
    """The classic wrong downloads: a Git LFS pointer or an HTML page saved under the model's name."""
    if head.startswith(b"version https://git-lfs.github.com/spec/"):
        found = re.search(rb"size (\d+)", head)
        real = f" of {int(found.group(1)):,} bytes" if found else ""
        return Verdict("git-lfs-pointer", f"a Git LFS pointer ({size} bytes), not the model{real}: the download "
                                          "fetched the pointer; fetch the real file (git lfs pull)")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")):
        return Verdict("html", "an HTML or XML page saved under a model's name: an error or login page "
                               "instead of the file?")
    return None


def _looks_like_safetensors(head: bytes, size: int) -> bool:
    # 8-byte little-endian header length, then a JSON object.
    return len(head) > 9 and head[8:9] == b"{" and struct.unpack("<Q", head[:8])[0] < 100_000_000


def _safetensors(src: Window, head: bytes, size: int) -> Verdict:
    (length,) = struct.unpack("<Q", head[:8])
    if 8 + length > size:
        raise Damaged(f"the header claims {length} bytes, the file has {size - 8} after the length")
    src.pos = 8
    header = json.loads(src.read(length))
    metadata = header.pop("__metadata__", None) or {}
    end = max((t["data_offsets"][1] for t in header.values()), default=0)
    if 8 + length + end != size:
        raise Damaged(f"the header describes {end} bytes of tensor data, the file holds {size - 8 - length}")
    dtypes = ", ".join(sorted({t["dtype"] for t in header.values()})) or "none"
    keys = ", ".join(sorted(metadata)) or "none"
    return Verdict("safetensors", f"{_n(len(header), 'tensor')} ({dtypes}), metadata keys: {keys}")


def _gguf(head: bytes) -> Verdict:
    if len(head) < 24:
        raise Damaged("the GGUF header is cut off")
    version, tensors, keys = struct.unpack("<IQQ", head[4:24])
    if tensors > 1 << 32 or keys > 1 << 32 or not 1 <= version <= 16:
        raise Damaged(f"absurd header: version {version}, {tensors} tensors, {keys} keys")
    return Verdict("gguf", f"GGUF version {version}: {_n(tensors, 'tensor')}, {_n(keys, 'metadata key')} "
                           "(llama.cpp and friends)")


def _json_file(path: Path, src: Window, size: int) -> Verdict:
    if size > 16 * 2**20:
        return Verdict("unknown", f"{size / 2**30:.1f} GB starting with '{{': far too big for a JSON index; "
                                  "not read")
    src.pos = 0
    index = json.loads(src.read(size).decode("utf-8"))
    if not (isinstance(index, dict) and isinstance(index.get("weight_map"), dict)):
        return Verdict("unknown", "a JSON file, but not a weight index (no weight_map)")
    shards = sorted(set(map(str, index["weight_map"].values())))
    missing = [s for s in shards if not (path.parent / s).exists()]
    state = f"missing: {', '.join(missing)}" if missing else "all present"
    return Verdict("hf-index", f"an index, not weights: {_n(len(index['weight_map']), 'tensor')} in "
                               f"{_n(len(shards), 'shard file')} ({state})")


def _protobuf(src, end: int):
    """(field number, wire type, value) of one protobuf message; length-delimited values as (start, length)."""
    def varint() -> int:
        shift = result = 0
        while True:
            byte = src.read(1)
            if not byte:
                raise Damaged("a protobuf number is cut off")
            result |= (byte[0] & 0x7F) << shift
            if byte[0] < 0x80:
                return result
            shift += 7
            if shift > 63:
                raise Damaged("a protobuf number longer than 10 bytes")

    while src.pos < end:
        key = varint()
        field, wire = key >> 3, key & 7
        if wire == 0:
            yield field, wire, varint()
        elif wire == 2:
            length = varint()
            if src.pos + length > end:
                raise Damaged(f"field {field} runs past the end of its message")
            start = src.pos
            yield field, wire, (start, length)
            src.pos = start + length
        elif wire in (1, 5):
            src.skip(8 if wire == 1 else 4)
        else:
            raise Damaged(f"protobuf wire type {wire} is not valid here")


def _onnx(path: Path, src: Window, size: int) -> Verdict:
    """ONNX's ModelProto, read field by field without the onnx package and without reading the weights."""
    src.pos = 0
    model: dict = {"opsets": {}, "nodes": 0, "initializers": 0, "external": set(), "graph": False}
    for field, wire, value in _protobuf(src, size):
        if field == 1 and wire == 0:
            model["ir"] = value
        elif field == 2 and wire == 2:
            src.pos = value[0]
            model["producer"] = src.read(min(value[1], 200)).decode("utf-8", "replace")
        elif field == 8 and wire == 2:
            domain, version = "ai.onnx", None
            for f, w, v in _protobuf(src, value[0] + value[1]):
                if f == 1 and w == 2:
                    src.pos = v[0]
                    domain = src.read(min(v[1], 200)).decode("utf-8", "replace") or "ai.onnx"
                elif f == 2 and w == 0:
                    version = v
            model["opsets"][domain] = version
        elif field == 7 and wire == 2:
            model["graph"] = True
            for f, w, v in _protobuf(src, value[0] + value[1]):
                if f == 1 and w == 2:
                    model["nodes"] += 1
                elif f == 5 and w == 2:
                    model["initializers"] += 1
                    _onnx_tensor(src, v, model)
    if not (1 <= model.get("ir", 0) <= 20 and model["opsets"] and model["graph"]):
        return Verdict("unknown", "starts like a protobuf, but not like an ONNX model")
    opsets = ", ".join(f"{d} {v}" for d, v in sorted(model["opsets"].items()))
    weights = "weights inside the file"
    escape = [loc for loc in model["external"] if os.path.isabs(loc) or ".." in Path(loc).parts]
    if escape:
        return Verdict("onnx", f"an ONNX model whose external data points outside its folder ({escape[0]}): "
                               "a hostile file; onnx and onnxruntime refuse it", "danger")
    if model["external"]:
        weights = "weights in " + ", ".join(
            f"{f} ({'present' if (path.parent / f).exists() else 'MISSING'})" for f in sorted(model["external"]))
    producer = f", made by {model['producer']}" if model.get("producer") else ""
    return Verdict("onnx", f"ONNX ir_version {model['ir']}, opsets {opsets}{producer}, {_n(model['nodes'], 'node')}, "
                           f"{_n(model['initializers'], 'initializer')}, {weights}")


def _onnx_tensor(src, where: tuple[int, int], model: dict) -> None:
    location = None
    for f, w, v in _protobuf(src, where[0] + where[1]):
        if f == 13 and w == 2:  # external_data: key/value pairs
            pair = {}
            for f2, w2, v2 in _protobuf(src, v[0] + v[1]):
                if w2 == 2:
                    src.pos = v2[0]
                    pair[f2] = src.read(min(v2[1], 4096)).decode("utf-8", "replace")
                    src.pos = v2[0] + v2[1]
            if pair.get(1) == "location":
                location = pair.get(2)
    if location is not None:
        model["external"].add(location)
# --8<-- [end:headers]


def _directory(path: Path) -> Verdict:
    if (path / ".metadata").is_file() and any(path.glob("*.distcp")):
        shards = len(list(path.glob("*.distcp")))
        meta = identify(path / ".metadata")  # torch.distributed.checkpoint reads it with pickle.load
        return Verdict("dcp-checkpoint", f"a torch.distributed.checkpoint folder ({_n(shards, '.distcp file')}) "
                                         f"whose .metadata, which loading unpickles, is {meta.kind}: {meta.detail}",
                       "danger" if meta.risk == "danger" else "ok")
    if (path / "config.json").is_file() and any(path.glob(p) for p in (
            "*.safetensors", "pytorch_model*.bin", "*.safetensors.index.json", "*.gguf", "*.onnx")):
        weights = sorted(p.name for p in path.iterdir() if p.suffix in (".safetensors", ".bin", ".gguf", ".onnx"))
        code = sorted(p.name for p in path.glob("*.py"))
        extra = f"; it holds Python code ({', '.join(code[:3])}) that trust_remote_code=True would run" if code else ""
        return Verdict("hf-folder", f"a Hugging Face model folder (config.json, {', '.join(weights[:4])}"
                                    f"{' ...' if len(weights) > 4 else ''}){extra}: identify each weight file",
                       "danger" if code else "unreadable")
    if (path / "saved_model.pb").exists():
        return Verdict("tf-savedmodel", "a TensorFlow SavedModel directory (saved_model.pb, variables/)")
    if (path / "Manifest.json").exists() and (path / "Data" / "com.apple.CoreML").is_dir():
        return Verdict("coreml-package", "a Core ML .mlpackage directory")
    return Verdict("directory", "a folder, not a file: identify the files inside it one by one", "unreadable")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _looks_like(head: bytes) -> str:
    for start, name in ((b"PK", "a zip archive"), (b"\x80", "a pickle"), (b"GGUF", "GGUF"), (b"\x08", "ONNX"),
                        (b"\x93NUMPY", "a NumPy array")):
        if head.startswith(start):
            return name
    return "safetensors" if head[8:9] == b"{" else "JSON" if head[:1] == b"{" else "a model file"


# --8<-- [start:cli]
def shown(name: str) -> str:
    """A file name as it can be printed, whatever bytes it is made of."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def main(paths: list[str]) -> int:
    """One line per file, then the exit status a CI job can act on."""
    verdicts = []
    for name in paths:
        verdict = identify(name)
        verdicts.append(verdict)
        flag = {"ok": "ok", "danger": "DANGER", "unreadable": "UNREADABLE"}[verdict.risk]
        print(f"{shown(name)}: [{flag}] {verdict}")
    return exit_status(verdicts)
# --8<-- [end:cli]


# --8<-- [start:demo]
def make_samples() -> list[str]:
    """Write one small file of each kind into the current folder; return their names."""
    import pickle
    import shutil
    import warnings

    import gguf
    import numpy as np
    import onnx
    import torch
    from onnx import TensorProto, helper, numpy_helper
    from safetensors.torch import save_file

    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2)
    torch.save(model.state_dict(), "state_dict.pt")
    torch.save(model, "whole_model.pt")
    torch.save(model.state_dict(), "legacy.pt", _use_new_zipfile_serialization=False)
    torch.save(model.state_dict(), "protocol4.pt", pickle_protocol=4)
    with warnings.catch_warnings():          # TorchScript is deprecated; we only need one such file
        warnings.simplefilter("ignore")
        torch.jit.save(torch.jit.script(model), "scripted.pt")
    torch.export.save(torch.export.export(model, (torch.randn(1, 3),)), "exported.pt2")
    save_file(model.state_dict(), "model.safetensors")
    with open("model.safetensors.index.json", "w") as f:
        json.dump({"weight_map": {"weight": "model-00001-of-00002.safetensors",
                                  "bias": "model-00002-of-00002.safetensors"}}, f)

    # A tiny ONNX graph y = x @ W + b, saved once with its weights inside, once beside it.
    weights = [numpy_helper.from_array(model.weight.detach().numpy().T.copy(), "W"),
               numpy_helper.from_array(model.bias.detach().numpy(), "b")]
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "W"], ["xW"]),
                               helper.make_node("Add", ["xW", "b"], ["y"])], "linear",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])], weights)
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    onnx.save(onnx_model, "model.onnx")
    if os.path.exists("external.onnx.data"):  # onnx refuses to overwrite it: a second run must still work
        os.remove("external.onnx.data")
    onnx.save(onnx_model, "external.onnx", save_as_external_data=True, location="external.onnx.data",
              size_threshold=0)

    writer = gguf.GGUFWriter("model.gguf", arch="demo")
    writer.add_name("tiny linear")
    for name, tensor in model.state_dict().items():
        writer.add_tensor(name, tensor.numpy())
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()

    class Payload:                               # the classic malicious pickle; never loaded here
        def __reduce__(self):
            return os.system, ("echo this would run on load",)

    class Hidden:                                # the same, through a name inside torch itself
        def __reduce__(self):
            return torch._utils._import_dotted_name, ("os.system",)

    with open("payload.pkl", "wb") as f:
        pickle.dump(Payload(), f)
    torch.save({"weight": model.weight, "note": Hidden()}, "hidden.pt")
    np.save("objects.npy", np.array([{"a": 1}], dtype=object))
    open("empty.bin", "wb").close()
    with open("random.bin", "wb") as f:
        f.write(np.random.default_rng(0).bytes(256))
    with open("model.safetensors", "rb") as src, open("truncated.safetensors", "wb") as dst:
        dst.write(src.read(60))
    shutil.copy("state_dict.pt", "renamed.onnx")
    return ["state_dict.pt", "whole_model.pt", "legacy.pt", "protocol4.pt", "scripted.pt", "exported.pt2",
            "model.safetensors", "model.safetensors.index.json", "model.onnx", "external.onnx", "model.gguf",
            "payload.pkl", "hidden.pt", "objects.npy", "empty.bin", "random.bin", "truncated.safetensors",
            "renamed.onnx", "missing.pt"]


if __name__ == "__main__":
    if len(sys.argv) > 1 and "ipykernel" not in sys.argv[0]:  # a notebook kernel's own arguments are not files
        if hasattr(sys.stdout, "reconfigure"):  # not in a notebook, whose output stream is another object
            sys.stdout.reconfigure(errors="backslashreplace")
        sys.exit(main(sys.argv[1:]))
    status = main(make_samples())
    print(f"exit status: {status}")
# --8<-- [end:demo]
