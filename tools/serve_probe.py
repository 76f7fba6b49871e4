"""Edit a page of a served copy of the site and time how long until the served page shows it (make bench, tests).

The repository is copied into a temporary folder (what git tracks or would track, plus the notebook cache so the walkthrough is
not executed again), `make serve`'s server (tools/serve.py) runs there on a free port, and each edit appends a
new sentence to a page; the time is from the file's write to the first HTTP answer of the page that contains it.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from tools.paths import REPO
from tools.site import QUIET_BANNERS

SERVE = [sys.executable, "-m", "tools.serve"]


def copy_repository(into: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    for link in (".venv", "node_modules"):
        if (REPO / link).exists():
            os.symlink((REPO / link).resolve(), into / link)
    if (REPO / ".cache" / "mkdocs-jupyter").is_dir():
        shutil.copytree(REPO / ".cache" / "mkdocs-jupyter", into / ".cache" / "mkdocs-jupyter")
    return into


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8", "replace")
    except OSError:
        return None


@contextlib.contextmanager
def served_copy(command: list[str] | None = None, ready_timeout: float = 600):
    """(root of the copy, base URL) while `make serve`'s server (or `command` + [port]) serves a copy of the site."""
    with contextlib.ExitStack() as stack:
        root = copy_repository(Path(stack.enter_context(tempfile_dir())))
        port = free_port()
        log = open(root / "serve.log", "w")
        stack.callback(log.close)
        process = subprocess.Popen((command or SERVE + ["--port"]) + [str(port)], cwd=root, stdout=log,
                                   stderr=subprocess.STDOUT, env=dict(os.environ, **QUIET_BANNERS))

        def stop():
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        stack.callback(stop)
        base = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + ready_timeout
        while fetch(base + "zh/") is None:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start:\n" + (root / "serve.log").read_text()[-3000:])
            time.sleep(0.2)
        yield root, base


@contextlib.contextmanager
def tempfile_dir():
    import tempfile
    with tempfile.TemporaryDirectory(prefix="serve-probe-") as folder:
        yield folder


def edit_to_visible(root: Path, base: str, lang: str, page: str = "overview.md", timeout: float = 60) -> float:
    """Seconds from appending a sentence to docs/<lang>/<page> until the served page shows it."""
    source = root / "docs" / lang / page
    marker = f"Edit{uuid.uuid4().hex[:12]}"
    url = base + ("" if lang == "en" else lang + "/") + page.removesuffix(".md") + "/"
    text = source.read_text(encoding="utf-8")
    started = time.perf_counter()
    source.write_text(text.rstrip("\n") + f"\n\n{marker}.\n", encoding="utf-8")
    while time.perf_counter() - started < timeout:
        body = fetch(url)
        if body and marker in body:
            return time.perf_counter() - started
        time.sleep(0.05)
    log = root / "serve.log"
    raise TimeoutError(f"{url} did not show the edit of {source.relative_to(root)} within {timeout:.0f} s; the "
                       "server's log ends:\n" + (log.read_text(encoding="utf-8")[-3000:] if log.is_file() else ""))
