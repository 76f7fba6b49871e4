"""MkDocs hook: the files the identify page's in-browser tool needs, served by the site itself.

"What is this file?" (docs/*/identify.md) runs identify.py in the reader's browser with Pyodide (CPython compiled
to WebAssembly, npm package `pyodide`, pinned in package.json). The English build adds to its site:

- assets/pyodide/: the five files Pyodide loads (its loader, the interpreter and its WebAssembly, the standard
  library, the package lock it reads at start) from node_modules/pyodide; nothing else of the package;
- assets/identify/identify.py: snippets/identify/identify.py itself, the file the page shows.

Only the English build (mkdocs.yml) adds them: the Chinese site lives in its zh/ folder and uses the same copies.
The page loads none of it until the reader picks a file (overrides/assets/javascripts/identify-browser.js).
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
PYODIDE = ROOT / "node_modules" / "pyodide"
PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]
IDENTIFY = ROOT / "snippets" / "identify" / "identify.py"
PRIMARY = "mkdocs.yml"


def on_files(files, config):
    if Path(config.config_file_path).name != PRIMARY:
        return files
    missing = [name for name in PYODIDE_FILES if not (PYODIDE / name).is_file()]
    if missing:
        what = "is missing" if not PYODIDE.is_dir() else f"lacks {', '.join(missing)}"
        raise PluginError(f"node_modules/pyodide/ {what} (the identify page's in-browser tool needs it): run "
                          "`npm install` in the repository (`make serve` and `make test` do it)")
    use_urls = config.use_directory_urls
    for name in PYODIDE_FILES:
        files.append(File(name, str(PYODIDE), config.site_dir, use_urls, dest_uri=f"assets/pyodide/{name}"))
    files.append(File(IDENTIFY.name, str(IDENTIFY.parent), config.site_dir, use_urls,
                      dest_uri=f"assets/identify/{IDENTIFY.name}"))
    return files
