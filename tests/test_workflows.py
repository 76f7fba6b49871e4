"""The GitHub workflow is linted with actionlint and audited with zizmor, and publishes only what it should."""
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tools.paths import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)


def test_actionlint():
    node = shutil.which("node")
    assert node, "node is needed to run actionlint (WebAssembly build from package.json); install Node.js 20"
    result = run([node, "tools/actionlint.mjs", *map(str, WORKFLOWS)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor():
    zizmor = Path(sys.executable).with_name("zizmor")
    result = run([str(zizmor), "--offline", "--no-progress", *map(str, WORKFLOWS)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_publishing_needs_tests_and_least_permissions():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "docs.yml").read_text())
    publish = workflow["jobs"]["publish"]
    assert publish["needs"] == "test"
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    assert "refs/heads/main" in publish["if"]
    assert workflow["permissions"] == {}
    steps = [s.get("uses", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(s.startswith("actions/upload-pages-artifact@") for s in steps)
    assert any(s.startswith("actions/deploy-pages@") for s in steps)
    assert any(s.get("run") == "make test" for s in workflow["jobs"]["test"]["steps"]), "CI must run the README command"


def test_ci_installs_the_torch_build_the_outputs_were_recorded_with():
    """torch's CPU-only build writes "+cpu" into the .onnx and .pt2 files it saves: CI must install that build
    before it runs the tests, from PyTorch's public CPU wheel index written in the workflow (a fork needs no
    secret), and check that it got it."""
    steps = yaml.safe_load((REPO / ".github" / "workflows" / "docs.yml").read_text())["jobs"]["test"]["steps"]
    install = next(i for i, s in enumerate(steps) if "PIP_EXTRA_INDEX_URL" in (s.get("env") or {}))
    test = next(i for i, s in enumerate(steps) if s.get("run") == "make test")
    assert install < test
    assert steps[install]["env"]["PIP_EXTRA_INDEX_URL"] == "https://download.pytorch.org/whl/cpu"
    assert "+cpu" in steps[install]["run"] and "make setup" in steps[install]["run"]
    text = (REPO / ".github" / "workflows" / "docs.yml").read_text()
    assert "secrets." not in text and "vars." not in text, "publishing must need no repository secret or variable"
    import torch
    assert torch.__version__.endswith("+cpu"), (
        f"torch {torch.__version__} here: the stored outputs assume the CPU-only build (see .github/workflows)")
