"""The pipeline's own failure modes, each provoked for real in a small temporary copy of the project: a broken or
hanging snippet, one that changes the repository or prints what differs on a reader's machine, a hand-edited or
stale output, a missing include, Python typed inline however it is spelled, an include no reader sees, twins that
differ. Each must stop the test command, `make outputs` or the build with a message that names the file."""
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tools.paths import REPO
from tools.site import build

# ---------------------------------------------------------------- small copies, for the mistakes of issue #14
# A copy of the tools and the site's configuration with one page per language and a few tiny snippets: each
# mistake below is made in such a copy, so that the real pages and snippets stay out of it (and it stays fast).

SITE_FILES = ["tools", "overrides", "mkdocs.yml", "mkdocs.zh.yml", "requirements.txt", "pytest.ini", "data"]


def small_copy(tmp_path: Path, pages: dict[str, str], snippets: dict[str, str], outputs: bool = False) -> Path:
    """pages: {"en/index.md": text, ...}; snippets: {"zz/a.py": code}. With outputs, the tests' files too."""
    root = tmp_path / "project"
    for name in SITE_FILES + (["tests"] if outputs else []):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", "browser"))
        else:
            shutil.copy2(source, root / name)
    for config in ("mkdocs.yml", "mkdocs.zh.yml"):  # only the pages of the copy: no nav, no redirect to a real page
        text = (root / config).read_text(encoding="utf-8")
        text = text.split("\nnav:")[0].replace("guide/state-dict.md: save-load.md", "old.md: index.md")
        text = re.sub(r"\n  - search:\n(?:     .*\n)*", "\n", text)  # the search index (and jieba): seconds
        # only the hook that enforces the page rules: the others (previews, search words, layout) want a real site
        text = re.sub(r"\nhooks:\n(?:  - .*\n)+", "\nhooks:\n  - tools/mkdocs_hooks.py\n", text)
        (root / config).write_text(text, encoding="utf-8")
    for rel, text in {**pages, **{f"../snippets/{k}": v for k, v in snippets.items()}}.items():
        path = root / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "generated" / "outputs").mkdir(parents=True)
    (root / "README.md").write_text("The copy's README.\n", encoding="utf-8")
    return root


def page(body: str) -> str:
    return f"# Harness {{ #harness }}\n\n{body}\n"


SHOWN = '```python\n--8<-- "zz/shown.py"\n```\n'


def run_in(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """A command in the copy; its snippet servers skip the heavy imports (the snippets here are tiny)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SNIPPET_HASH_SEED", "SNIPPET_TIME_FACTOR")}
    environment.update(NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", SNIPPET_SERVER_PRELOAD="0", **env)
    return subprocess.run(args, cwd=root, capture_output=True, text=True, env=environment, timeout=300)


# Python typed inline, spelled every way the highlighter still colours as Python, or with no Python name at all.
# Each block's first line is unique, so that the message's line number can be checked.
TYPED = {
    "Python": "```Python\nimport os  # 1\n```",
    "python3 in ~~~": "~~~python3\nimport os  # 2\n~~~",
    "py3": "```py3\nimport os  # 3\n```",
    "{ .python }": "``` { .python }\nimport os  # 4\n```",
    "ipython3": "```ipython3\nimport os  # 5\n```",
    "pycon": "```pycon\n>>> import os  # 6\n```",
    "indented": "A paragraph.\n\n    import os  # 7\n    print(os.sep)",
    "text": "```text\nimport os  # 8\nprint(os.sep)\n```",
    "in an admonition": '!!! note\n\n    ```py\n    import os  # 9\n    ```',
    "python with a title and an include": '```python title="x.py"\n--8<-- "zz/shown.py"\nimport os  # 10\n```',
}
NOT_PYTHON = {
    "an include": '```python\n--8<-- "zz/shown.py"\n```',
    "a shell command": "```bash\n.venv/bin/python -m tools.outputs  # records\n```",
    "settings": '```yaml\nsite_name: x\n```\n\n```toml\n[tool]\nkey = "value"\n```',
    "a file name": "```text\nmodel.pt\n```",
}


@pytest.mark.parametrize("name", TYPED)
def test_python_typed_inline_is_found_however_it_is_spelled(name):
    from tools.page_rules import page_problems

    markdown = page(TYPED[name])
    found, _ = page_problems(markdown, "en", "typed.md", twin_markdown=markdown)
    line = next(n for n, text in enumerate(markdown.splitlines(), 1) if "import os" in text)
    assert [p for p in found if f"docs/en/typed.md:{line} has Python typed inline" in p], found


@pytest.mark.parametrize("name", NOT_PYTHON)
def test_what_is_not_python_typed_inline_passes(name):
    from tools.page_rules import page_problems

    markdown = page(NOT_PYTHON[name])
    found, _ = page_problems(markdown, "en", "typed.md", twin_markdown=markdown)
    assert not [p for p in found if "typed inline" in p], found


def test_an_include_no_reader_sees_is_not_shown():
    from tools.page_rules import render

    hidden = {
        "in an HTML comment": '<!--\n```python\n--8<-- "zz/x.py"\n```\n-->',
        "in a hidden element": '<div hidden markdown>\n\n```python\n--8<-- "zz/x.py"\n```\n\n</div>',
        "in a display:none element": '<div style="display: none" markdown>\n\n--8<-- "zz/x.py"\n\n</div>',
    }
    for name, body in hidden.items():
        assert render(page(body)).shown == [], name
    assert render(page('??? note "Code"\n\n    ```python\n    --8<-- "zz/x.py"\n    ```')).shown == ["zz/x.py"]


def test_the_build_enforces_the_page_rules_and_names_the_language(tmp_path):
    """The same rules in `mkdocs build --strict` (and so in `make serve`), each message naming the page's file."""
    typed = page("\n\n".join(TYPED.values()))
    commented = page('<!--\n```python\n--8<-- "zz/commented.py"\n```\n-->')
    stale = page('```python\n--8<-- "zz/stale.py"\n```\n\n```text\n--8<-- "outputs/zz/stale.txt"\n```')
    root = small_copy(tmp_path, {
        "en/index.md": page(SHOWN), "zh/index.md": page(SHOWN),
        "en/typed.md": typed, "zh/typed.md": typed,
        "en/hidden.md": commented, "zh/hidden.md": commented,
        "en/twins.md": page(SHOWN), "zh/twins.md": page("[坏链接](missing.md)"),
        "en/stale.md": stale, "zh/stale.md": stale,
    }, {"zz/shown.py": "print('shown')\n", "zz/commented.py": "print('commented out')\n",
        "zz/stale.py": "print('recorded')\n"})
    assert run_in(root, sys.executable, "-m", "tools.outputs", "zz/stale.py").returncode == 0
    (root / "snippets" / "zz" / "stale.py").write_text("print('changed since')\n")
    result = build(root / "out", root=root)
    log = result.stderr
    assert result.returncode != 0, log
    for lang in ("en", "zh"):
        lines = typed.splitlines()
        for name, block in TYPED.items():
            marker = next(line for line in block.splitlines() if "import os" in line).strip()
            line = next(n for n, text in enumerate(lines, 1) if marker in text)
            assert f"docs/{lang}/typed.md:{line} has Python typed inline" in log, (name, log)
        assert f"snippets/zz/commented.py is not shown on any page of docs/{lang}/" in log, log
    assert "docs/en/twins.md and docs/zh/twins.md must show the same snippets and outputs" in log, log
    assert "docs/zh/twins.md and docs/en/twins.md must show the same snippets and outputs" in log, log
    assert "Doc file 'docs/zh/twins.md' contains a link 'missing.md'" in log, log
    assert "shown.py is not shown" not in log, log
    for lang in ("en", "zh"):
        assert f"docs/{lang}/stale.md:8 shows the output of snippets/zz/stale.py, which is stale" in log, log


def test_a_missing_include_stops_the_build_after_listing_every_problem(tmp_path):
    root = small_copy(tmp_path, {
        "en/index.md": page(SHOWN + '\n```python\n--8<-- "nowhere/missing.py"\n```'),
        "zh/index.md": page(SHOWN + "\n```python\nimport os\n```"),
    }, {"zz/shown.py": "print('shown')\n"})
    result = build(root / "out", root=root)
    assert result.returncode != 0
    assert "docs/en/index.md:8 includes 'nowhere/missing.py', which is not in snippets/ or generated/" in result.stderr
    assert "docs/zh/index.md:8 has Python typed inline" in result.stderr, result.stderr


SHOW_ALL = page("\n\n".join(f'```python\n--8<-- "zz/{name}"\n```' for name in (
    "a_via_file.py", "after_boom.py", "boom.py", "forever.py", "hang.py", "shown.py", "tamper.py"))
    + '\n\n```text\n--8<-- "outputs/zz/boom.txt"\n```')
MISTAKES = {
    "shown.py": "print('shown')\n",
    # The case: the repository found from the snippet's own path. It runs from a copy, so it reaches
    # only the copy (and it spoils the copy of tamper.py, which must not matter: each run gets a fresh copy).
    "a_via_file.py": "from pathlib import Path\nhere = Path(__file__).resolve()\n"
                     "(here.parents[2] / 'README.md').open('a').write('appended\\n')\n"
                     "(here.parents[2] / 'created.txt').write_text('x')\n(here.parent / 'tamper.py').write_text('')\n",
    # Found on purpose, through the snippet server's working folder: the run must notice, even though the
    # snippet rewrites its own stored output to match what it prints.
    "tamper.py": "import os\nfrom pathlib import Path\nrepo = Path(f'/proc/{os.getppid()}/cwd').resolve()\n"
                 "(repo / 'README.md').open('a').write('appended\\n')\n"
                 "(repo / 'generated/outputs/zz/tamper.txt').write_text('what I print\\n')\nprint('what I print')\n",
    "forever.py": "# Timeout: 1e9\nimport time\ntime.sleep(3600)\n",
    "hang.py": "# Timeout: 1\nimport time\ntime.sleep(60)\n",
    "boom.py": "print('before the error')\nraise ValueError('boom')\n",
    "after_boom.py": "# Run after: boom.py\nprint('needs what boom.py made')\n",
}


def test_snippet_mistakes_are_caught_once_at_the_top(tmp_path):
    """Items 1, 5 and 6 of issue #14, for `make test`: a snippet cannot change the repository (not even its own
    stored output), cannot declare a timeout without limit, and a failure is reported first and once, its
    dependents naming it."""
    snippets = {f"zz/{name}": code for name, code in MISTAKES.items()}
    root = small_copy(tmp_path, {"en/index.md": SHOW_ALL, "zh/index.md": SHOW_ALL}, snippets, outputs=True)
    (root / "generated" / "outputs" / "zz").mkdir()
    (root / "generated" / "outputs" / "zz" / "tamper.txt").write_text("stored before the run\n")
    (root / "tests" / "test_zz_site.py").write_text("def test_one(site):\n    pass\n\n\ndef test_two(site):\n    pass\n")
    started = time.monotonic()
    result = run_in(root, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_pages.py",
                    "tests/test_snippets.py", "tests/test_zz_site.py")
    report = result.stdout + result.stderr
    assert result.returncode == 1, report
    assert time.monotonic() - started < 300, "a snippet declaring '# Timeout: 1e9' held the run"
    shown = "(shown on docs/en/index.md, docs/zh/index.md)"
    assert (f"snippets/zz/tamper.py {shown} changed the repository while it ran: README.md (modified), "
            "generated/outputs/zz/tamper.txt (modified)") in report
    assert "The test run changed the repository" in report and "README.md (modified)" in report
    # The snippet that used its own path reached only its copy; the one that looked for the repository was found.
    assert f"snippets/zz/a_via_file.py {shown} changed" not in report
    assert (root / "README.md").read_text() == "The copy's README.\nappended\n"
    assert not (root / "created.txt").exists() and (root / "snippets" / "zz" / "tamper.py").read_text()
    assert "snippets/zz/forever.py: '# Timeout: 1e9' must be more than 0 and at most 300 seconds" in report
    assert f"snippets/zz/hang.py {shown} was killed after its timeout of 1 s" in report
    assert f"snippets/zz/boom.py {shown} raised ValueError: boom" in report and "before the error" in report
    assert (f"snippets/zz/after_boom.py {shown} did not run: it runs after snippets/zz/boom.py, which failed"
            in report)
    # Snippets run first: the first failure in the log is a snippet's, not the page test it causes.
    failures = report.split("= FAILURES =")[1]
    assert failures.index("test_snippet[") < failures.index("test_pages_follow_the_rules")
    # The site build, which refuses boom.py's missing output, is reported once, naming the failed snippets.
    # (counted above pytest's one-line summary, which repeats the first line of each error when the terminal is wide)
    details = report.split("short test summary info")[0]
    assert details.count("mkdocs build --strict failed") == 1, report
    assert "snippets that failed above (zz/a_via_file.py, zz/boom.py, " in report
    assert "the site build failed; its log is in the report of tests/test_zz_site.py::test_one" in report


RECORDED = {
    "shown.py": "print('shown')\n",
    "boom.py": "raise ValueError('boom')\n",
    "after_boom.py": "# Run after: boom.py\nprint('needs what boom.py made')\n",
    # What a reader's machine prints differently: a set's order (hash seed), float digits (CPU kernels, threads).
    "a_set.py": "print({'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'})\n",
    "floats.py": "import torch\ntorch.manual_seed(0)\na = torch.randn(64, 64)\n"
                 "print(f'{(a @ a).sum().item():.6f} {torch.randn(1_000_000).sum().item():.6f}')\n",
}


def test_make_outputs_records_only_what_a_reader_would_see(tmp_path):
    """Items 4 and 6 of issue #14, for `make outputs`: output that changes with the hash seed or the CPU is not
    recorded; a failing snippet is reported with its pages and its dependent's output is not written; a
    hand-edited output is refused by the build's check and recorded again, and one snippet can be re-recorded."""
    snippets = {f"zz/{name}": code for name, code in RECORDED.items()}
    body = page("\n\n".join(f'```python\n--8<-- "zz/{name}"\n```' for name in RECORDED))
    root = small_copy(tmp_path, {"en/index.md": body, "zh/index.md": body}, snippets, outputs=True)
    outputs = root / "generated" / "outputs" / "zz"
    result = run_in(root, sys.executable, "-m", "tools.outputs")
    report = result.stdout + result.stderr
    assert result.returncode == 1, report
    shown = "(shown on docs/en/index.md, docs/zh/index.md)"
    assert f"snippets/zz/boom.py {shown} raised ValueError: boom" in report
    assert f"snippets/zz/after_boom.py {shown} did not run: it runs after snippets/zz/boom.py" in report
    assert "snippets/zz/a_set.py prints something else on another machine" in report
    assert "snippets/zz/floats.py prints something else on another machine" in report
    assert sorted(p.name for p in outputs.iterdir()) == ["shown.json", "shown.txt"]

    stored = outputs / "shown.txt"
    stored.write_text("edited by hand\n")
    result = run_in(root, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "tests/test_snippets.py::test_snippet[zz/shown.py]")
    report = result.stdout + result.stderr
    assert result.returncode == 1, report
    assert "the output of snippets/zz/shown.py was edited by hand" in report and "+shown" in report, report
    check = "from tools.outputs import staleness; from tools.snippets import Snippet; print(staleness(Snippet('zz/shown.py')))"
    assert "generated/outputs/zz/shown.txt is not the text `make outputs` recorded" in run_in(
        root, sys.executable, "-c", check).stdout
    (root / "snippets" / "zz" / "boom.py").write_text("print('fixed')\n")
    for snippet in ("a_set.py", "floats.py"):
        (root / "snippets" / "zz" / snippet).unlink()
    result = run_in(root, sys.executable, "-m", "tools.outputs")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "wrote generated/outputs/zz/shown.txt" in result.stdout and stored.read_text() == "shown\n"
    assert (outputs / "after_boom.txt").read_text() == "needs what boom.py made\n"
    result = run_in(root, sys.executable, "-m", "tools.outputs", "zz/after_boom.py")
    written = [line.split(" (")[0] for line in result.stdout.splitlines()]
    assert result.returncode == 0 and written == ["outputs: wrote generated/outputs/zz/after_boom.txt"], written


def test_a_hanging_test_or_run_is_stopped(tmp_path):
    """Item 5 of issue #14: a test that hangs fails after the per-test limit; a run that hangs where no exception
    can reach (here: the alarm signal blocked) is ended by the run's limit, with every thread's stack."""
    root = small_copy(tmp_path, {}, {}, outputs=True)
    (root / "tests" / "test_zz_hangs.py").write_text(
        "import signal, time\n\n\ndef test_sleeps():\n    time.sleep(3600)\n\n\n"
        "def test_sleeps_deaf():\n    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})\n    time.sleep(3600)\n")
    started = time.monotonic()
    result = run_in(root, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "tests/test_zz_hangs.py::test_sleeps", TEST_TIME_LIMIT="2")
    assert result.returncode == 1 and "tests/test_zz_hangs.py::test_sleeps ran for more than 2 s" in result.stdout
    result = run_in(root, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "tests/test_zz_hangs.py::test_sleeps_deaf", TEST_TIME_LIMIT="2", SUITE_TIME_LIMIT="4")
    assert result.returncode != 0 and "Timeout (0:00:04)!" in result.stderr, result.stderr
    assert "test_zz_hangs.py" in result.stderr  # the stack says where it hung
    assert time.monotonic() - started < 300  # not the hour the tests sleep


def test_the_work_tree_snapshot_sees_every_change_git_would_and_more(tmp_path):
    """What the runner compares around each snippet, in a git repository: edits (even to a file already modified,
    which `git status` would not show again), new files git does not ignore, generated/, git's hooks."""
    from tools import worktree

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("ignored/\n")
    (tmp_path / "tracked.txt").write_text("one\n")
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    (tmp_path / "tracked.txt").write_text("modified before\n")
    (tmp_path / "generated").mkdir()
    before = worktree.snapshot(tmp_path)
    (tmp_path / "tracked.txt").write_text("modified again\n")
    (tmp_path / "new.txt").write_text("x")
    (tmp_path / "ignored").mkdir()
    (tmp_path / "ignored" / "cache.bin").write_text("x")
    (tmp_path / "generated" / "out.txt").write_text("x")
    (tmp_path / ".git" / "hooks").mkdir(exist_ok=True)
    (tmp_path / ".git" / "hooks" / "pre-commit").write_text("#!/bin/sh\n")
    assert worktree.changes(before, worktree.snapshot(tmp_path)) == [
        "<git>/hooks/pre-commit (created)", "generated/out.txt (created)", "new.txt (created)",
        "tracked.txt (modified)"]
