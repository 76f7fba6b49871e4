"""What the verification stamp in each page's footer says: which versions the page's examples and measurements were
recorded with, and which build (date, commit) made the page.

Nothing here is typed: the versions come from where the site already gets them.
- Examples: every stored output is keyed by the pins of requirements.txt ("What the snippets run against"); the build
  refuses an output whose key differs (tools/page_rules.py), so the outputs on a page were recorded with exactly
  those pins. Which packages a page uses is read from the imports of its snippets; the version shown is the one
  snippets/home/versions.py printed (the home page's "Verified with" list, e.g. torch's `2.13.0+cpu`) or, for a
  package that list leaves out, its pin.
- Reference tables: generated/reference/verified.json (versions and the date the checks last ran).
- Benchmarks: generated/benchmarks/formats.json and memory.json (versions, and the date where recorded).
- Build: SOURCE_DATE_EPOCH when set (reproducible builds), else today's date (UTC); the commit from git, or
  "unknown" when there is no git (a source tarball).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from tools.page_rules import includes
from tools.paths import GENERATED, OUTPUTS, REPO
from tools.snippets import Snippet, snippet_pins

VERSIONS_OUTPUT = OUTPUTS / "home" / "versions.txt"
REFERENCE = GENERATED / "reference" / "verified.json"
BENCHMARK_FORMATS = GENERATED / "benchmarks" / "formats.json"
BENCHMARK_MEMORY = GENERATED / "benchmarks" / "memory.json"
_TABLE = re.compile(r"^<!-- reference-table: ([a-z_-]+) -->$", re.M)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@lru_cache(maxsize=1)
def pins() -> dict[str, str]:
    """Package -> pinned version, from the block of requirements.txt the stored outputs are keyed by."""
    found = {}
    for line in snippet_pins().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            found[_normal(name)] = version.strip()
    return found


@lru_cache(maxsize=1)
def recorded_versions() -> dict[str, str]:
    """What snippets/home/versions.py printed (the home page's "Verified with"): package -> version."""
    found = {}
    for line in VERSIONS_OUTPUT.read_text(encoding="utf-8").splitlines():
        if line.strip():
            name, version = line.split(None, 1)
            found[_normal(name)] = version.strip()
    return found


def version_of(package: str) -> str:
    package = _normal(package)
    return recorded_versions().get(package) or pins()[package]


_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\w+)[\w.]*[ \t]+import\b|import[ \t]+([\w., \t]+))", re.M)


@lru_cache(maxsize=None)   # per snippet text: the English and Chinese builds share the work
def _imports(source: str) -> frozenset[str]:
    """Top-level modules a snippet imports (import lines; snippets are plain programs, read not run)."""
    found = set()
    for module, names in _IMPORT.findall(source):
        if module:
            found.add(module)
        else:
            found |= {name.split()[0].split(".")[0] for name in names.split(",") if name.strip()}
    return frozenset(found)


def packages_used(snippets: list[Snippet]) -> list[str]:
    """The pinned packages the snippets (and the ones they run after) import: torch first, then by name."""
    used = set()
    for snippet in snippets:
        for link in snippet.chain():
            used |= {_normal(module) for module in _imports(link.source)} & set(pins())
    return sorted(used, key=lambda name: (name != "torch", name))


@dataclass
class Record:
    kind: str                              # "examples", "reference", "benchmark", "memory"
    versions: list[tuple[str, str]]        # (name as shown, version)
    date: str | None = None
    count: int = 0


@dataclass
class PageStamp:
    records: list[Record] = field(default_factory=list)


def _display(name: str) -> str:
    return "Python" if name == "python" else name


def _versions_of(record: dict) -> list[tuple[str, str]]:
    return [(_display(name), str(version)) for name, version in record.items()]


def page_stamp(markdown: str) -> PageStamp:
    """The records behind one page, from its Markdown source (before any hook expands it)."""
    stamp = PageStamp()
    shown = []
    for include in includes(markdown):
        rel = include.file
        if rel.endswith(".py") and not rel.startswith("outputs/") and (Snippet(rel).path.is_file()):
            if Snippet(rel) not in shown:
                shown.append(Snippet(rel))
    if shown:
        versions = [(name, version_of(name)) for name in packages_used(shown)]
        versions.append(("Python", recorded_versions()["python"]))
        stamp.records.append(Record("examples", versions, count=len(shown)))
    tables = set(_TABLE.findall(markdown))
    if any(not t.startswith("benchmark") for t in tables):
        data = json.loads(REFERENCE.read_text(encoding="utf-8"))
        stamp.records.append(Record("reference", _versions_of(data["versions"]), date=data["date"]))
    files = {include.file for include in includes(markdown)}
    if any(t.startswith("benchmark") for t in tables) or any(f.startswith("benchmarks/formats") for f in files):
        data = json.loads(BENCHMARK_FORMATS.read_text(encoding="utf-8"))
        stamp.records.append(Record("benchmark", _versions_of(data["versions"]), date=data.get("date")))
    if any(f.startswith("benchmarks/memory") for f in files):
        machine = json.loads(BENCHMARK_MEMORY.read_text(encoding="utf-8"))["machine"]
        wanted = ("torch", "safetensors", "python")
        stamp.records.append(Record("memory", [(_display(k), str(machine[k])) for k in wanted if k in machine],
                                    date=machine.get("date")))
    return stamp


# ---- the build -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Build:
    date: str                  # YYYY-MM-DD (UTC)
    commit: str | None         # full hash, None without git
    modified: bool             # the working tree differs from the commit


def _git(*args: str) -> str | None:
    try:
        run = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def build_info() -> Build:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    except ValueError:
        raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970") from None
    commit = _git("rev-parse", "--verify", "HEAD")
    if commit and not re.fullmatch(r"[0-9a-f]{40,64}", commit):
        commit = None
    # Only tracked files count: the build's own outputs and caches are ignored or untracked.
    modified = bool(commit and _git("status", "--porcelain", "--untracked-files=no"))
    return Build(moment.strftime("%Y-%m-%d"), commit, modified)
