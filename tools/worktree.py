"""What the work tree holds, so that a command can prove it left the repository as it found it.

A snapshot covers the files git tracks, the untracked files git does not ignore, everything below generated/
(written by commands only), and git's hooks and config. Contents are hashed, so a rewrite with the same size and
time is seen too.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
from functools import lru_cache
from pathlib import Path

# Outside a git checkout (a copied tree), these are what .gitignore leaves out.
_NOT_SOURCES = {".git", ".venv", "node_modules", "site", ".cache", ".pytest_cache", "__pycache__", "test-results"}


def _names(root: Path) -> set[str]:
    if (root / ".git").exists():
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=root, capture_output=True, check=True).stdout
        names = {name.decode() for name in listed.split(b"\0") if name}
    else:
        names = set()
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d not in _NOT_SOURCES]
            names.update(os.path.relpath(os.path.join(folder, f), root) for f in files if f not in _NOT_SOURCES)
    for folder, dirs, files in os.walk(root / "generated"):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        names.update(os.path.relpath(os.path.join(folder, f), root) for f in files)
    return names


# (path, st_ino, st_size, st_mtime_ns, st_ctime_ns) -> digest. A write changes ctime, which no process can set
# back, so a file whose status is unchanged need not be read again.
_digests: dict[tuple, str] = {}


@lru_cache(maxsize=None)
def _git_dir(root: Path) -> Path:
    common = subprocess.run(["git", "rev-parse", "--git-common-dir"], cwd=root, capture_output=True, text=True,
                            check=True).stdout.strip()
    return (root / common).resolve()


def _git_settings(root: Path) -> dict[str, Path]:
    """git's own files that make it run code or change what it does: hooks and config (outside the work tree)."""
    if not (root / ".git").exists():
        return {}
    common_dir = _git_dir(root)
    found = {"<git>/config": common_dir / "config"}
    hooks = common_dir / "hooks"
    if hooks.is_dir():
        found.update({f"<git>/hooks/{p.name}": p for p in hooks.iterdir()})
    return found


def snapshot(root: Path) -> dict[str, str]:
    """Relative path -> a digest of what is there (a link's target, not what it points to)."""
    found = {}
    named = {name: root / name for name in _names(root)}
    named.update(_git_settings(root))
    for name, path in named.items():
        try:
            status = path.lstat()
            if os.path.islink(path):
                found[name] = "link:" + os.readlink(path)
                continue
            if not path.is_file():
                continue
            stamp = (str(path), status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
            if stamp not in _digests:
                _digests[stamp] = hashlib.sha256(path.read_bytes()).hexdigest()
            found[name] = _digests[stamp]
        except OSError:
            continue  # removed while we looked: it is missing from this snapshot
    return found


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """'path (created|modified|deleted)' for each difference, sorted."""
    found = [f"{name} (created)" for name in after.keys() - before.keys()]
    found += [f"{name} (deleted)" for name in before.keys() - after.keys()]
    found += [f"{name} (modified)" for name in before.keys() & after.keys() if before[name] != after[name]]
    return sorted(found)
