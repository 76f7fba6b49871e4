"""Start the snippet server once and run snippets through it; turn what they printed into stable text."""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tools import worktree
from tools.paths import REPO, SNIPPETS
from tools.snippets import MAX_TIMEOUT, Snippet

# A reader's machine differs from ours. A second run of a snippet, in `make outputs`, varies what may change its
# output there: the hash seed (the order of a printed set), the CPU kernels of MKL and ATen (the last digits of a
# float) and the number of threads (the order of a parallel sum). Output that changes is not recorded.
# (save-load/resume_training.py printed 0.677808 on one host of this machine and 0.677809 on another: run as below
# it prints the second.) Without vector kernels a snippet is slower: these runs get READER_TIME_FACTOR times its
# timeout.
READER_MACHINE = {"MKL_ENABLE_INSTRUCTIONS": "SSE4_2", "ATEN_CPU_CAPABILITY": "default", "OMP_NUM_THREADS": "1",
                  "MKL_NUM_THREADS": "1"}
READER_TIME_FACTOR = 4


@dataclass
class Result:
    snippet: Snippet
    output: str            # what the reader sees: stdout and stderr as printed, then the traceback's last lines
    error_type: str | None
    error: str | None      # "module.Type: message", as Python prints it last in a traceback
    traceback: str | None
    exit_code: int
    timed_out: bool
    seconds: float
    hash_seed: int = 0
    timeout: float = 0.0                # what the run was given: the declared timeout, more as on a reader's machine
    changed: list[str] = field(default_factory=list)  # files of the repository the run created, changed or deleted
    blocked_by: Snippet | None = None   # not run: this predecessor did not run as declared
    stored_text: str | None = None      # generated/outputs/<rel>.txt and .json as they were before the run
    stored_record: str | None = None

    @property
    def ok(self) -> bool:
        """Ran to the end as declared: no error if none is expected, exactly the expected one otherwise."""
        if self.timed_out or self.changed or self.blocked_by:
            return False
        if self.snippet.expected_error is None:
            return self.exit_code == 0 and self.error_type is None
        return self.error_type == self.snippet.expected_error


def normalise(text: str, workdir: Path, ran_as: Path) -> str:
    """Remove what differs between machines and runs: folders, memory addresses."""
    site = sysconfig.get_paths()["purelib"]
    # A virtualenv reached through a link (a git worktree sharing one) shows up under both of its paths.
    for folder, shown in ((str(ran_as.parent) + os.sep, ""), (str(workdir), "."),
                          (os.path.realpath(site), "<site-packages>"), (site, "<site-packages>"),
                          (sys.base_prefix, "<python>")):
        text = text.replace(folder, shown)
    text = re.sub(r"\b0x[0-9a-f]{6,16}\b", "0x…", text)
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # terminal colours (torch's weights_only message has some)
    # glog-style lines from torch's C++ and logging ("W1129 14:07:05.190000 5061 file.py:107] ..."): drop the
    # date, time and process id, keep the level letter and the message.
    text = re.sub(r"^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ ", r"\1 ", text, flags=re.MULTILINE)
    # torch names the file relative to sys.path, which fails when site-packages is reached through a link: say
    # what it says when it succeeds.
    text = re.sub(r"^([IWEF] )<site-packages>/", r"\1", text, flags=re.MULTILINE)
    # ExecuTorch's thread pool (C++) logs how it probed this CPU ("[cpuinfo_utils.cpp:71] Reading file ...");
    # which lines appear depends on the processor and the container, so a page would show one machine's probe.
    text = re.sub(r"^\[cpuinfo_utils\.cpp:\d+\] .*\n?", "", text, flags=re.MULTILINE)
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n") + "\n"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


class SnippetRunner:
    """One server process with torch imported; each run forks a fresh child from it.

    The hash seed is random unless given (a reader's Python picks one at random too); every result says which
    one it ran with. `environment` adds variables for the server and so for every snippet (READER_MACHINE).
    """

    def __init__(self, hash_seed: int | None = None, environment: dict[str, str] | None = None,
                 time_factor: float = 1) -> None:
        # On a machine busy with other work, SNIPPET_TIME_FACTOR=3 gives every snippet three times its timeout.
        self.time_factor = time_factor * float(os.environ.get("SNIPPET_TIME_FACTOR") or 1)
        self.hash_seed = random.SystemRandom().randrange(1, 2**32) if hash_seed is None else hash_seed
        env = dict(os.environ, PYTHONHASHSEED=str(self.hash_seed), PYTHONDONTWRITEBYTECODE="1", **(environment or {}))
        self._server = subprocess.Popen([sys.executable, "-m", "tools.snippet_server"], cwd=REPO, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = self._server.stdout.readline()
        if not ready:
            raise RuntimeError("the snippet server did not start; run `python -m tools.snippet_server` to see why")
        self._scratch = Path(tempfile.mkdtemp(prefix="snippet-records-"))
        # Snippets run from a copy of snippets/, made again before each run, so that what one writes next to
        # itself (or to another snippet) reaches neither the repository nor the next snippet.
        # The ONNX and torch.export writers store the source path of each traced line inside the files they write,
        # so a snippet's absolute path changes the size of those files: the copy's path has the same length in
        # every clone on every machine, /tmp/pmf-XXXXXXXX/s/<rel>.
        self._copy = Path(tempfile.mkdtemp(prefix="pmf-", dir="/tmp")) / "s"

    def run(self, snippet: Snippet, workdir: Path) -> Result:
        """Run one snippet as `python snippets/<rel>` in workdir (which its predecessors may have filled)."""
        out, record = self._scratch / "output.txt", self._scratch / "record.json"
        record.unlink(missing_ok=True)
        stored_text, stored_record = _read(snippet.output_text), _read(snippet.output_record)
        # What the repository holds, to tell whether the snippet changed it (the copy does not stop a snippet
        # that looks for the repository on purpose, through sys.executable or its parent process).
        tree = worktree.snapshot(REPO)
        path = snippet.path
        if path.is_relative_to(SNIPPETS):
            shutil.rmtree(self._copy, ignore_errors=True)
            shutil.copytree(SNIPPETS, self._copy, ignore=shutil.ignore_patterns("__pycache__"))
            path = self._copy / path.relative_to(SNIPPETS)
        timeout = min(snippet.timeout * self.time_factor, MAX_TIMEOUT)
        request = {"path": str(path), "cwd": str(workdir), "output": str(out), "record": str(record),
                   "timeout": timeout}
        self._server.stdin.write(json.dumps(request) + "\n")
        self._server.stdin.flush()
        reply = json.loads(self._server.stdout.readline())
        details = json.loads(record.read_text()) if record.exists() else {}
        text = out.read_text(encoding="utf-8", errors="replace")
        if details.get("error"):
            text += "Traceback (most recent call last):\n  ...\n" + details["error"] + "\n"
        changed = worktree.changes(tree, worktree.snapshot(REPO))
        return Result(snippet=snippet, output=normalise(text, workdir, path), error_type=details.get("error_type"),
                      error=details.get("error"), traceback=details.get("traceback"),
                      exit_code=reply["exit_code"], timed_out=reply["timed_out"], seconds=reply["seconds"],
                      hash_seed=self.hash_seed, timeout=timeout, changed=changed, stored_text=stored_text,
                      stored_record=stored_record)

    def close(self) -> None:
        self._server.stdin.close()
        try:
            self._server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # still in a snippet's run: it has a timeout, but we are done
            self._server.kill()
            self._server.wait()
        shutil.rmtree(self._copy.parent)
        shutil.rmtree(self._scratch)

    def __enter__(self) -> "SnippetRunner":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ChainRunner:
    """Runs snippets so that each '# Run after:' predecessor has filled the folder first, running each once."""

    def __init__(self, runner: SnippetRunner, root: Path) -> None:
        self.runner, self.root = runner, root
        self.results: dict[Snippet, Result] = {}
        self.folders: dict[Snippet, Path] = {}  # where each snippet ran: the files it left are there

    def run(self, snippet: Snippet) -> Result:
        if snippet in self.results:
            return self.results[snippet]
        if snippet.after is None:
            folder = Path(tempfile.mkdtemp(prefix=snippet.path.stem + "-", dir=self.root))
        else:
            before = snippet.chain()[-2]
            if not self.run(before).ok:
                # Its folder is not what it expects: running it would only add a second, misleading failure.
                failed = self.results[before].blocked_by or before
                self.results[snippet] = Result(snippet, "", None, None, None, exit_code=-1, timed_out=False,
                                               seconds=0.0, blocked_by=failed)
                return self.results[snippet]
            folder = self.folders[before]
        self.folders[snippet] = folder
        self.results[snippet] = self.runner.run(snippet, folder)
        return self.results[snippet]
