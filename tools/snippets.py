"""Discover the snippet files and read what each one declares about how it runs.

A snippet is a complete program. It may declare, in comment lines a reader can understand:

    # Run after: save_whole_model.py      (same working folder, after that snippet, in a new process)
    # Expected error: UnpicklingError     (the snippet exists to show this exception)
    # Timeout: 60                         (seconds; default 30)
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from tools.paths import OUTPUTS, REQUIREMENTS, SNIPPETS

DEFAULT_TIMEOUT = 30.0
# The most a snippet may declare. The slowest real ones (the reference's C++ builds) take about a minute; a larger
# declaration would only let a hanging snippet hold `make test` for longer.
MAX_TIMEOUT = 300.0
# Bump when the way outputs are captured or normalised changes: every stored output becomes stale.
CAPTURE_VERSION = "4"

_DIRECTIVE = re.compile(r"^#\s*(Run after|Expected error|Timeout):\s*(\S+)\s*$", re.MULTILINE)


class SnippetError(Exception):
    """A snippet file declares something impossible (unknown predecessor, a cycle, a bad timeout)."""


@dataclass(frozen=True)
class Snippet:
    rel: str  # path below snippets/, with forward slashes: "guide/save_state_dict.py"

    @property
    def path(self) -> Path:
        return SNIPPETS / self.rel

    @cached_property
    def source(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @cached_property
    def _directives(self) -> dict[str, str]:
        return {name.lower(): value for name, value in _DIRECTIVE.findall(self.source)}

    @property
    def after(self) -> str | None:
        """The snippet that must run first in the same folder, as a path below snippets/."""
        value = self._directives.get("run after")
        if value is None:
            return None
        return str(Path(self.rel).parent / value).replace("\\", "/").removeprefix("./")

    @property
    def expected_error(self) -> str | None:
        return self._directives.get("expected error")

    @property
    def timeout(self) -> float:
        value = self._directives.get("timeout")
        if value is None:
            return DEFAULT_TIMEOUT
        try:
            seconds = float(value)
        except ValueError:
            raise SnippetError(f"snippets/{self.rel}: '# Timeout: {value}' is not a number of seconds") from None
        if not 0 < seconds <= MAX_TIMEOUT:  # also refuses nan and inf
            raise SnippetError(f"snippets/{self.rel}: '# Timeout: {value}' must be more than 0 and at most "
                               f"{MAX_TIMEOUT:g} seconds; a snippet should run in a few seconds")
        return seconds

    @property
    def output_text(self) -> Path:
        return OUTPUTS / (self.rel.removesuffix(".py") + ".txt")

    @property
    def output_record(self) -> Path:
        return OUTPUTS / (self.rel.removesuffix(".py") + ".json")

    def chain(self) -> list["Snippet"]:
        """This snippet and its predecessors, first to run first."""
        chain: list[Snippet] = [self]
        while chain[0].after is not None:
            before = Snippet(chain[0].after)
            if not before.path.is_file():
                raise SnippetError(f"snippets/{chain[0].rel} says '# Run after: ...' but snippets/{before.rel} does not exist")
            if before in chain:
                raise SnippetError(f"snippets/{self.rel}: '# Run after:' lines form a cycle")
            chain.insert(0, before)
        return chain

    def key(self) -> str:
        """Changes when this snippet, a predecessor, the pinned versions or the capture rules change."""
        digest = hashlib.sha256(CAPTURE_VERSION.encode())
        digest.update(snippet_pins().encode())
        for snippet in self.chain():
            digest.update(snippet.rel.encode() + b"\0" + snippet.source.encode() + b"\0")
        return digest.hexdigest()[:16]


def snippet_pins() -> str:
    """The pinned versions the snippets run against: the block of requirements.txt that says so."""
    lines = REQUIREMENTS.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# What the snippets run against"))
    block = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        block.append(line.strip())
    return "\n".join(block)


def discover() -> list[Snippet]:
    """Every snippet, ordered so that each runs after the one it declares."""
    found = [Snippet(p.relative_to(SNIPPETS).as_posix()) for p in SNIPPETS.rglob("*.py")
             if "__pycache__" not in p.parts]
    ordered: list[Snippet] = []
    for snippet in sorted(found, key=lambda s: s.rel):
        for link in snippet.chain():
            if link not in ordered:
                ordered.append(link)
    return ordered
