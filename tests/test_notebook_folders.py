"""The notebooks' examples run in folders of their own: a second "Run All" in the same folder works, files one
example writes never reach another, and a reader's own folders beside the notebook are never emptied."""
from __future__ import annotations

import os
import time

from test_notebook_runs import _cached, _remember, compare, execute, run_key
from tools.notebooks import FOLDER_CODE, META, examples_root, page_notebook


def _setup(root: str) -> dict:
    scope: dict = {}
    exec(FOLDER_CODE.replace("{root}", root), scope)  # noqa: S102 - the notebook's own first code cell
    return scope


def test_example_folder_empties_only_the_folders_of_the_notebook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "identify").mkdir()
    (tmp_path / "identify" / "mine.txt").write_text("the reader's")  # a folder named like an example
    scope = _setup("identify-examples")
    scope["example_folder"]("identify")
    assert os.getcwd() == str(tmp_path / "identify-examples" / "identify")
    open("model.pt", "w").close()
    scope["example_folder"]("other")
    scope["example_folder"]("identify", empty=False)
    assert os.listdir(".") == ["model.pt"]  # a '# Run after:' example finds its predecessor's file
    scope["example_folder"]("identify")
    assert os.listdir(".") == []  # a new run of the example starts afresh
    assert (tmp_path / "identify" / "mine.txt").read_text() == "the reader's"
    # the first cell run again in the same kernel, from inside an example's folder, keeps the notebook's folder
    exec(FOLDER_CODE.replace("{root}", "identify-examples"), scope)  # noqa: S102
    assert scope["EXAMPLES_ROOT"] == str(tmp_path / "identify-examples")


def test_examples_root_is_named_after_the_notebook():
    assert examples_root("save-load.md") == "save-load-examples"
    assert examples_root("index.md") == "home-examples"


def test_a_notebook_runs_twice_in_the_same_folder(tmp_path):
    """onnx/external_data.py calls os.makedirs("default"): in one shared folder the second run raised
    FileExistsError. Two "Run All" in one folder, both compared with the page."""
    markdown = '# Twice { #twice }\n\n```python title="external_data.py"\n--8<-- "onnx/external_data.py"\n```\n'
    notebook = page_notebook(markdown, "Twice", "en", "onnx.md")
    assert any(c["metadata"].get(META, {}).get("snippet") == "onnx/external_data.py" for c in notebook["cells"])
    key = run_key(notebook)
    if _cached("twice-external_data", key):
        return
    started = time.monotonic()
    for _ in range(2):
        assert compare(execute(notebook, tmp_path), tmp_path) == []
    _remember("twice-external_data", key, time.monotonic() - started)
