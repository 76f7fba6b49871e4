"""The identify page's browser tool: the identify.py the page shows, run by Pyodide in Chromium on a picked or
dropped file, says what `python identify.py FILE` says, reads only what identify.py reads, loads nothing before
the first file and nothing from another host; both languages.

The files come from identify.py's own make_samples() (every format, two payloads, damaged and wrong files) and a
few more made here. Each is compared, alone in its folder as the browser sees it, with `python -S identify.py NAME`:
-S leaves out site-packages, so Python has no torch, as Pyodide has none, and identify.py uses its copy of torch's
allowlist in both (its verdicts then name that copy; with torch installed they name the installed torch)."""
from __future__ import annotations

import runpy
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tools.paths import SNIPPETS

IDENTIFY_PY = SNIPPETS / "identify" / "identify.py"
_IDENTIFY = runpy.run_path(str(IDENTIFY_PY))
FIRST_FILE_TIMEOUT = 90_000   # ms: Pyodide's start on a busy two-core machine
NEXT_FILE_TIMEOUT = 30_000
RISK = {0: "ok", 1: "danger", 2: "unreadable"}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """name -> a file alone in its own folder."""
    made = tmp_path_factory.mktemp("made")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(made)
        names = [name for name in _IDENTIFY["make_samples"]() if (made / name).is_file()]
        import torch
        data = (made / "state_dict.pt").read_bytes()
        (made / "cut.pt").write_bytes(data[:len(data) // 2])                      # a truncated zip
        (made / "model.bin").write_text("<!DOCTYPE html>\n<html><head><title>Sign in</title></head></html>\n")
        torch.manual_seed(0)
        torch.save({"weight": torch.randn(2048, 2048)}, "big.pt")               # 16 MB, mostly tensor bytes
        names += ["cut.pt", "model.bin", "big.pt"]
    out = {}
    for name in names:
        folder = tmp_path_factory.mktemp("alone")
        shutil.copy(made / name, folder / name)
        out[name] = folder / name
    return out


def python_says(path: Path) -> tuple[str, int]:
    run = subprocess.run([sys.executable, "-S", str(IDENTIFY_PY), path.name], cwd=path.parent,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode in RISK, run.stderr
    return run.stdout.rstrip("\n"), run.returncode


class Tool:
    """The page with its tool, and every request the page and its worker make."""

    def __init__(self, context, url: str):
        self.requests: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))
        self.page = context.new_page()
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        self.first = True

    def pick(self, path: Path) -> dict:
        self.page.set_input_files("#identify-file", str(path))
        return self._result(path.name)

    def drop(self, name: str, data: bytes) -> dict:
        self.page.evaluate("""([name, bytes]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], name));
            document.querySelector("[data-identify-tool]").dispatchEvent(
                new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""", [name, list(data)])
        return self._result(name)

    def _result(self, name: str) -> dict:
        self.page.wait_for_function("""(name) => {
            const result = document.querySelector("[data-identify-result]");
            return !result.hidden && result.querySelector("[data-identify-line]").textContent.startsWith(name + ": ");
        }""", arg=name, timeout=FIRST_FILE_TIMEOUT if self.first else NEXT_FILE_TIMEOUT)
        self.first = False
        return self.page.evaluate("""() => {
            const result = document.querySelector("[data-identify-result]");
            const text = (selector) => result.querySelector(selector).textContent;
            return {risk: result.dataset.risk, line: text("[data-identify-line]"),
                    headline: text("[data-identify-headline]"), read: text("[data-identify-read]")};
        }""")

    def loaded(self, what: str) -> list[str]:
        return [url for url in self.requests if what in urlsplit(url).path]


def _origin(url: str) -> str:
    return "{0.scheme}://{0.netloc}".format(urlsplit(url))


def test_same_verdicts_as_python_and_nothing_from_elsewhere(served, context, files):
    tool = Tool(context, served + "identify/")
    assert tool.loaded("/assets/pyodide/") == tool.loaded("identify.py") == tool.loaded("identify-worker.js") == [], \
        "Pyodide, identify.py or the worker requested before a file was picked"
    wrong, said = [], {}
    for name, path in files.items():
        shown = tool.pick(path)
        line, status = said[name] = python_says(path)
        if (shown["line"], shown["risk"]) != (line, RISK[status]):
            wrong.append(f"{name}\n  browser: [{shown['risk']}] {shown['line']}\n  python:  [{RISK[status]}] {line}")
    assert not wrong, "the browser and Python disagree:\n" + "\n".join(wrong)

    # Python with torch installed names the same kind and risk (its wording names the installed torch's list).
    for name, path in files.items():
        verdict = _IDENTIFY["identify"](path)
        line, status = said[name]
        assert (f"] {verdict.kind}: " in line, verdict.risk) == (True, RISK[status]), f"{name}: {verdict} / {line}"

    # The spread the page promises: every risk, payloads among them.
    kinds = {_IDENTIFY["identify"](path).kind for path in files.values()}
    assert {"torch-weights", "torchscript", "safetensors", "onnx", "dangerous-pickle", "damaged", "empty"} <= kinds

    # Only the bytes identify.py reads: a 16 MB checkpoint is judged from a small part of it.
    big = tool.pick(files["big.pt"])
    read, size = (int(n.replace(",", "")) for n in big["read"].removeprefix("Bytes read from the file: ")
                  .rstrip(".").split(" of "))
    assert size == files["big.pt"].stat().st_size and read < size // 20, big["read"]

    assert tool.loaded("/assets/pyodide/") and tool.loaded("/assets/identify/identify.py")
    foreign = sorted({url for url in tool.requests if _origin(url) != _origin(served)
                      and not url.startswith(("data:", "blob:"))})
    assert not foreign, "requests outside the site's origin:\n" + "\n".join(foreign)


def test_chinese_page_drop_and_words(served, context, files):
    tool = Tool(context, served + "zh/identify/")
    assert tool.loaded("/assets/pyodide/") == []
    html = "<!DOCTYPE html>\n<html><body>登录</body></html>\n".encode()
    shown = tool.drop("pytorch_model.bin", html)
    assert shown["headline"] == "加载它不会运行作者安排好的代码。"
    assert shown["read"].startswith("从文件中读取的字节数：") and shown["read"].endswith(f"文件共 {len(html)} 字节。")
    payload = tool.pick(files["payload.pkl"])
    assert payload["risk"] == "danger" and payload["headline"].startswith("加载它可能运行作者安排好的代码")
    assert payload["line"] == python_says(files["payload.pkl"])[0]
    # The Chinese page uses the English site's single copy of Pyodide.
    assert tool.loaded("/assets/pyodide/") and not tool.loaded("/zh/assets/pyodide/")
    foreign = [url for url in tool.requests if _origin(url) != _origin(served) and not url.startswith("data:")]
    assert not foreign, foreign
