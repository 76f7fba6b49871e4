"""`make serve`: both languages at http://127.0.0.1:8000/ (English) and /zh/ (Chinese), rebuilt as files change.

    python -m tools.serve [--port 8000]

`mkdocs serve` rebuilds the whole site, both languages, on any change (about 6 s): here each language keeps its
loaded configuration and only what changed is rebuilt:

- a page in docs/en/ or docs/zh/: that page only (MkDocs' dirty build), then the browser reloads; an English edit
  then also rebuilds the Chinese twin (its "may be outdated" note depends on the English page);
- a snippet: it runs again (`make outputs`: only new or changed snippets) and both languages are rebuilt in full;
- stored outputs, the theme overrides, the configuration or the build tools: both languages in full.

The terminal says which of these happens. A page's title or a new page shows in the other pages' navigation after
a full rebuild (any of the last kind, or a restart). `make test` and CI always build the whole site strictly
(tools/site.py); this is for writing only.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import watchdog.events
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from tools.paths import REPO
from tools.site import QUIET_BANNERS

log = logging.getLogger("mkdocs.serve")
CONFIGS = {"en": "mkdocs.yml", "zh": "mkdocs.zh.yml"}
FOLDERS = {"en": "", "zh": "zh"}           # below the served root
FULL = ("generated", "overrides", "tools", "mkdocs.yml", "mkdocs.zh.yml")


class _Server(LiveReloadServer):
    """MkDocs' live-reload server, told which files changed (it only knows that something did)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.changed: set[str] = set()
        self._changed_lock = threading.Lock()

    def watch(self, path, func=None, *, recursive=True):
        # LiveReloadServer.watch, with a callback that also records the file's path
        path = os.path.abspath(path)
        if path in self._watched_paths:
            return

        def callback(event):
            if event.is_directory:
                return
            for changed in (event.src_path, getattr(event, "dest_path", "")):
                if changed:
                    self.note(changed)
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback
        self._watched_paths[path] = 1
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

    def note(self, path: str) -> None:
        with self._changed_lock:
            self.changed.add(path)

    def take_changes(self) -> set[str]:
        with self._changed_lock:
            changed, self.changed = self.changed, set()
        return changed

    def reload_browsers(self) -> None:
        """Show what is built so far (the server's own step after a build, taken early)."""
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()


class Site:
    """The two languages, each with its configuration loaded once, built into one folder."""

    def __init__(self, root: Path, site_dir: Path, serve_url: str):
        self.root, self.site_dir, self.serve_url = root, site_dir, serve_url
        self.configs: dict = {}
        self.load()

    def load(self) -> None:
        """(Re)load both configurations: at start, and after a change to the configuration, theme or tools."""
        os.environ.update(QUIET_BANNERS)
        for config in self.configs.values():
            config.plugins.on_shutdown()
        for lang, name in CONFIGS.items():
            config = load_config(config_file=str(self.root / name), site_dir=str(self.site_dir / FOLDERS[lang]))
            config.site_url = self.serve_url + (FOLDERS[lang] + "/" if FOLDERS[lang] else "")
            for plugin in config.plugins.values():
                if hasattr(plugin, "OTHER_LANGUAGES"):
                    plugin.OTHER_LANGUAGES = {}   # tools/mkdocs_hooks.py: this process builds each language itself
            _keep_templates(config)
            config.plugins.on_startup(command="serve", dirty=True)
            self.configs[lang] = config

    def build(self, lang: str, dirty: bool) -> float:
        started = time.perf_counter()
        config = self.configs[lang]
        index = Path(config.site_dir) / "search" / "search_index.json"
        before = json.loads(index.read_text(encoding="utf-8")) if dirty and index.is_file() else None
        build(config, serve_url=config.site_url, dirty=dirty)
        if before is not None:
            _merge_search_index(index, before)
        return time.perf_counter() - started

    def page_output(self, lang: str, md: Path) -> Path:
        """The HTML file a page of docs/<lang>/ is built into."""
        rel = md.relative_to(self.root / "docs" / lang).with_suffix("")
        folder = rel.parent if rel.name == "index" else rel
        return self.site_dir / FOLDERS[lang] / folder / "index.html"


def _keep_templates(config) -> None:
    """One Jinja environment for every build of this configuration: MkDocs makes a new one per build, and compiling
    the theme's templates again and listing its files took most of a one-page rebuild. Their compiled form stays
    valid until a template changes (Jinja checks each file's age); a change under overrides/ reloads the config."""
    env = config.theme.get_env()
    listed, list_templates = {}, env.list_templates

    def cached_list_templates(extensions=None, filter_func=None):
        # MkDocs filters the theme's ~14,000 files (mostly icons) with the same function on every build
        key = (tuple(extensions or ()), getattr(filter_func, "__qualname__", None))
        if key not in listed:
            listed[key] = list_templates(extensions, filter_func)
        return listed[key]

    env.list_templates = cached_list_templates
    config.theme.get_env = lambda: env


def _merge_search_index(index: Path, before: dict) -> None:
    """A dirty build writes a search index of the pages it rebuilt only: put the other pages' entries back."""
    after = json.loads(index.read_text(encoding="utf-8"))
    rebuilt = {doc["location"].split("#")[0] for doc in after["docs"]}
    kept = [doc for doc in before["docs"] if doc["location"].split("#")[0] not in rebuilt]
    after["docs"] = kept + after["docs"]
    index.write_text(json.dumps(after, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _age(output: Path) -> None:
    """Make a built page older than its source, so that MkDocs' dirty build renders it again."""
    if output.exists():
        os.utime(output, (0, 0))


def _scratch(rel: Path) -> bool:
    """An editor's swap or backup file, or Python's bytecode cache: nothing the site is built from."""
    name = rel.name
    return (any(part.startswith(".") or part == "__pycache__" for part in rel.parts)
            or name.startswith("#") or name.endswith(("~", ".swp", ".swx", ".tmp")))


def plan(changed: set[str], root: Path) -> tuple[str, list[tuple[str, Path]]]:
    """What to rebuild for a set of changed files: ("pages", [(lang, md)]), ("snippets", []) or ("full", [])."""
    pages, kind = [], "pages"
    for path in sorted(changed):
        rel = Path(path).resolve().relative_to(root.resolve()) if Path(path).is_absolute() else Path(path)
        top = rel.parts[0] if rel.parts else ""
        if _scratch(rel):
            continue
        if top == "docs" and len(rel.parts) > 2 and rel.parts[1] in CONFIGS and rel.suffix == ".md":
            pages.append((rel.parts[1], root / rel))
        elif top == "snippets":
            kind = "snippets" if kind != "full" else kind
        elif top in FULL or top == "docs":
            kind = "full"
    return (kind, []) if kind != "pages" else ("pages", pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--root", type=Path, default=REPO, help="the repository to serve (default: this one)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    # `kill` (SIGTERM) stops it like Ctrl-C does, so the temporary site is removed (make bench and the tests stop it so)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    root = args.root.resolve()
    site_dir = Path(tempfile.mkdtemp(prefix="model-formats-serve-"))
    url = f"http://127.0.0.1:{args.port}/"
    site = Site(root, site_dir, url)

    def say(message: str) -> None:
        print(f"[serve {time.strftime('%H:%M:%S')}] {message}", flush=True)

    def full(reload: bool = False) -> None:
        if reload:
            site.load()
        seconds = sum(site.build(lang, dirty=False) for lang in CONFIGS)
        say(f"both languages rebuilt in full in {seconds:.1f} s")

    def rebuild() -> None:
        changed = server.take_changes()
        kind, pages = plan(changed, root)
        if kind == "snippets":
            say("a snippet changed: running it again (make outputs), then rebuilding both languages in full "
                "(this takes longer than a prose edit) ...")
            run = subprocess.run([sys.executable, "-m", "tools.outputs"], cwd=root)
            if run.returncode != 0:
                say("the snippet failed: its output is not updated (see above); the pages show the stored output")
            full()
            return
        if kind == "full":
            say("outputs, theme, configuration or build tools changed: rebuilding both languages in full ...")
            full(reload=True)
            if any(Path(p).resolve().is_relative_to(root / "tools") for p in changed):
                say("changes to Python modules under tools/ take effect after restarting `make serve`")
            return
        for lang, md in pages:
            # Rebuilt even when its output looks newer than its source: a save during the previous build of the same
            # page leaves exactly that, with the output made from the text before the save.
            _age(site.page_output(lang, md))
        for lang in sorted({lang for lang, _ in pages}):
            seconds = site.build(lang, dirty=True)
            say(f"{lang}: rebuilt {', '.join(p.name for l, p in pages if l == lang)} in {seconds:.2f} s")
        server.reload_browsers()
        # An English page's Chinese twin says whether it is outdated: rebuild it too, after the English is shown.
        twins = [root / "docs" / "zh" / p.relative_to(root / "docs" / "en") for l, p in pages if l == "en"]
        twins = [t for t in twins if t.is_file() and ("zh", t) not in pages]
        for twin in twins:
            _age(site.page_output("zh", twin))
        if twins:
            seconds = site.build("zh", dirty=True)
            say(f"zh: rebuilt the twin page(s) {', '.join(t.name for t in twins)} in {seconds:.2f} s")

    # polled every 0.2 s (MkDocs: 0.5 s): a few hundred files, and the wait is part of what a writer sees
    server = _Server(builder=rebuild, host="127.0.0.1", port=args.port, root=str(site_dir), polling_interval=0.2)

    def error_page(code):
        page = site_dir / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    try:
        say("building both languages ...")
        full()
        for folder in ("docs", "snippets", "generated", "overrides", "tools", "mkdocs.yml", "mkdocs.zh.yml"):
            server.watch(str(root / folder))
        say(f"serving {url} (English) and {url}zh/ (中文); Ctrl-C stops")
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        for config in site.configs.values():
            config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
