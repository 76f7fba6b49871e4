"""The pipeline's own failure modes, each provoked for real in a scratch copy of the repository: a broken
snippet, a snippet that hangs, a hand-edited output, a missing include and a stale output must each stop the
test command or the build with a message that points at the cause."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.paths import REPO
from tools.site import build

COPIED = ["tools", "tests", "snippets", "generated", "docs", "overrides", "mkdocs.yml", "mkdocs.zh.yml",
          "pytest.ini", "requirements.txt", "data"]


@pytest.fixture
def scratch(tmp_path) -> Path:
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, tmp_path / name)
    return tmp_path


def run(scratch: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(args, cwd=scratch, capture_output=True, text=True, env=env, timeout=120)


def pytest_snippets(scratch: Path, *rels: str) -> subprocess.CompletedProcess:
    ids = [f"tests/test_snippets.py::test_snippet[{rel}]" for rel in rels]
    return run(scratch, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *ids)


def mkdocs_build(scratch: Path) -> subprocess.CompletedProcess:
    return build(scratch / "out", root=scratch)


def add_page(scratch: Path, name: str, body: str) -> None:
    for lang in ("en", "zh"):
        (scratch / "docs" / lang / name).write_text(f"# Harness {{ #harness }}\n\n{body}\n", encoding="utf-8")


def test_broken_and_hanging_snippets_fail_with_their_cause(scratch):
    folder = scratch / "snippets" / "zz_harness"
    folder.mkdir()
    (folder / "boom.py").write_text('print("before the error")\nraise ValueError("boom")\n')
    (folder / "hang.py").write_text("# Timeout: 1\nimport time\ntime.sleep(60)\n")
    add_page(scratch, "zz-harness.md", '```python\n--8<-- "zz_harness/boom.py"\n```')
    result = pytest_snippets(scratch, "zz_harness/boom.py", "zz_harness/hang.py")
    report = result.stdout + result.stderr
    assert result.returncode == 1, report
    assert "snippets/zz_harness/boom.py (shown on docs/en/zz-harness.md, docs/zh/zz-harness.md)" in report
    assert "ValueError: boom" in report and "before the error" in report
    assert "snippets/zz_harness/hang.py (shown on no page yet) was killed after its timeout of 1 s" in report
    assert "2 failed" in report


def test_hand_edited_output_fails_the_tests(scratch):
    stored = scratch / "generated" / "outputs" / "home" / "versions.txt"
    stored.write_text(stored.read_text().replace("torch ", "torch (edited) "))
    result = pytest_snippets(scratch, "home/versions.py")
    report = result.stdout + result.stderr
    assert result.returncode == 1, report
    assert "generated/outputs/home/versions.txt is not what snippets/home/versions.py prints now" in report
    assert "never by hand" in report and "+torch " in report


def test_missing_include_fails_the_build_naming_page_and_file(scratch):
    add_page(scratch, "zz-harness.md", '```python\n--8<-- "nowhere/missing.py"\n```')
    result = mkdocs_build(scratch)
    assert result.returncode != 0
    assert "docs/en/zz-harness.md:4 includes 'nowhere/missing.py', which is not in snippets/ or generated/" in result.stderr


def test_stale_output_fails_the_build_naming_page_and_snippet(scratch):
    snippet = scratch / "snippets" / "home" / "versions.py"
    snippet.write_text(snippet.read_text() + 'print("a new line")\n')
    result = mkdocs_build(scratch)
    assert result.returncode != 0
    assert "docs/en/index.md" in result.stderr
    assert "shows the output of snippets/home/versions.py, which is stale" in result.stderr
