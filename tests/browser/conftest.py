"""One browser for the whole run: Debian's chromium (/usr/bin/chromium) driven by Playwright, never a browser that
Playwright downloads. The built site is served on 127.0.0.1, at / and below a sub-path as GitHub Pages serves a
project site. A browser that cannot start fails the tests that need it (it is never a skip)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tools.paths import REPO
from tools.serve_static import serve

from built import SUBPATH

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         # Nothing may come from another host: make every other host unreachable, so a stray request fails fast
         # (and is still recorded by the tests) instead of waiting for a network this machine does not have.
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
VIEWPORT = {"width": 1280, "height": 900}
SCREENSHOTS = REPO / "test-results" / "screenshots"


@pytest.fixture(scope="session")
def served(site):
    """Base URL of the built site served at the root: http://127.0.0.1:<port>/"""
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def served_subpath(site):
    """Base URL of the built site served below /pytorch-model-formats/."""
    with serve(site, SUBPATH) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    profile = tempfile.mkdtemp(prefix="rx-chromium-")  # a fresh profile for every run
    with sync_playwright() as playwright:
        # launch_persistent_context would pin one profile; a plain launch gets a fresh temporary profile per
        # context from Playwright. executable_path: Debian's chromium, never a downloaded browser.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True,
                                             env={"HOME": profile, "XDG_CONFIG_HOME": profile,
                                                  "XDG_CACHE_HOME": profile, "PATH": "/usr/bin:/bin"})
        try:
            yield browser
        finally:
            browser.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="en-US", service_workers="block")
    yield context
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
