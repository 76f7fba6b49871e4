"""The built site: how both languages are built, and where each page lands in it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tools.paths import REPO

# mkdocs-material and a plugin print banners about MkDocs 2 that say nothing about this site; strict builds
# would otherwise have to tell them from real warnings.
QUIET_BANNERS = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def build(into: Path, *, root: Path = REPO, quiet: bool = False, check: bool = False) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of mkdocs.yml in `root` into `into`: English at /, Chinese at /zh/ (the hook builds it)."""
    command = [str(Path(sys.executable).with_name("mkdocs")), "build", "--strict", "--site-dir", str(into)]
    result = subprocess.run(command + (["--quiet"] if quiet else []), cwd=root, text=True, capture_output=True,
                            env=dict(os.environ, **QUIET_BANNERS))
    if check and result.returncode != 0:
        raise RuntimeError(f"mkdocs build --strict failed:\n{result.stderr[-4000:]}")
    return result


def url_of(md_page: str) -> str:
    """A page's URL below its language's root, from its Markdown path (use_directory_urls: true)."""
    stem = md_page.removesuffix(".md")
    return "" if stem == "index" else stem.removesuffix("/index") + "/"
