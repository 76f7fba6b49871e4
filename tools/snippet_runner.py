"""Start the snippet server once and run snippets through it; turn what they printed into stable text."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tools.paths import REPO, SNIPPETS
from tools.snippets import Snippet


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

    @property
    def ok(self) -> bool:
        """Ran to the end as declared: no error if none is expected, exactly the expected one otherwise."""
        if self.timed_out:
            return False
        if self.snippet.expected_error is None:
            return self.exit_code == 0 and self.error_type is None
        return self.error_type == self.snippet.expected_error


def normalise(text: str, workdir: Path, ran_as: Path) -> str:
    """Remove what differs between machines and runs: folders, memory addresses."""
    site = sysconfig.get_paths()["purelib"]
    for folder, shown in ((str(ran_as.parent) + os.sep, ""), (str(workdir), "."), (site, "<site-packages>"),
                          (sys.base_prefix, "<python>")):
        text = text.replace(folder, shown)
    text = re.sub(r"\b0x[0-9a-f]{6,16}\b", "0x…", text)
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # terminal colours (torch's weights_only message has some)
    # glog-style lines from torch's C++ and logging ("W1129 14:07:05.190000 5061 file.py:107] ..."): drop the
    # date, time and process id, keep the level letter and the message.
    text = re.sub(r"^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ ", r"\1 ", text, flags=re.MULTILINE)
    # ExecuTorch's thread pool (C++) logs how it probed this CPU ("[cpuinfo_utils.cpp:71] Reading file ...");
    # which lines appear depends on the processor and the container, so a page would show one machine's probe.
    text = re.sub(r"^\[cpuinfo_utils\.cpp:\d+\] .*\n?", "", text, flags=re.MULTILINE)
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n") + "\n"


class SnippetRunner:
    """One server process with torch imported; each run forks a fresh child from it."""

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
        self._server = subprocess.Popen([sys.executable, "-m", "tools.snippet_server"], cwd=REPO, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = self._server.stdout.readline()
        if not ready:
            raise RuntimeError("the snippet server did not start; run `python -m tools.snippet_server` to see why")
        self._scratch = Path(tempfile.mkdtemp(prefix="snippet-records-"))
        # The ONNX and torch.export writers store the source path of each traced line inside the files they write,
        # so a snippet's absolute path changes the size of those files. Snippets run through a link whose path
        # has the same length in every clone on every machine: /tmp/pmf-XXXXXXXX/s -> snippets/.
        self._link = Path(tempfile.mkdtemp(prefix="pmf-", dir="/tmp")) / "s"
        self._link.symlink_to(SNIPPETS, target_is_directory=True)

    def run(self, snippet: Snippet, workdir: Path) -> Result:
        """Run one snippet as `python snippets/<rel>` in workdir (which its predecessors may have filled)."""
        out, record = self._scratch / "output.txt", self._scratch / "record.json"
        record.unlink(missing_ok=True)
        path = snippet.path
        if path.is_relative_to(SNIPPETS):
            path = self._link / path.relative_to(SNIPPETS)
        request = {"path": str(path), "cwd": str(workdir), "output": str(out), "record": str(record),
                   "timeout": snippet.timeout}
        self._server.stdin.write(json.dumps(request) + "\n")
        self._server.stdin.flush()
        reply = json.loads(self._server.stdout.readline())
        details = json.loads(record.read_text()) if record.exists() else {}
        text = out.read_text(encoding="utf-8", errors="replace")
        if details.get("error"):
            text += "Traceback (most recent call last):\n  ...\n" + details["error"] + "\n"
        return Result(snippet=snippet, output=normalise(text, workdir, path), error_type=details.get("error_type"),
                      error=details.get("error"), traceback=details.get("traceback"),
                      exit_code=reply["exit_code"], timed_out=reply["timed_out"], seconds=reply["seconds"])

    def close(self) -> None:
        self._server.stdin.close()
        self._server.wait(timeout=10)
        shutil.rmtree(self._link.parent)  # removes the link, not what it points to
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
            self.run(before)
            folder = self.folders[before]
        self.folders[snippet] = folder
        self.results[snippet] = self.runner.run(snippet, folder)
        return self.results[snippet]
