"""Shared fixtures: one snippet server and one site build for the whole run, and the guards of the run itself:
every snippet really ran, snippets run first (a root cause is the first failure in the log), the run left the
work tree as it found it, and no test and no run can take for ever."""
from __future__ import annotations

import faulthandler
import os
import random
import signal
import time
from pathlib import Path

import pytest

from tools import worktree
from tools.paths import REPO
from tools.site import build
from tools.snippet_runner import ChainRunner, SnippetRunner
from tools.snippets import discover

# The snippets run with a random hash seed, as `python snippet.py` does for a reader; to repeat a run, set it.
HASH_SEED = int(os.environ.get("SNIPPET_HASH_SEED") or random.SystemRandom().randrange(1, 2**32))
# Ceilings far above a slow machine's times (the whole suite: about 2.5 min idle, 6 busy; the longest test, the
# site build, under a minute), so that a hang fails the run instead of stalling it, and a busy machine does not.
# In seconds; the variables exist for the harness's own test of them.
TEST_LIMIT = int(os.environ.get("TEST_TIME_LIMIT", 600))
SUITE_LIMIT = int(os.environ.get("SUITE_TIME_LIMIT", 40 * 60))

_ran: set[str] = set()
_tree_at_start: dict[str, str] = {}


def pytest_configure(config):
    # The last resort: if the run as a whole hangs (a deadlock in C, where no exception reaches), print every
    # thread's stack and exit with an error. To the terminal: pytest's capture would swallow it.
    capture = config.pluginmanager.getplugin("capturemanager")
    saved = getattr(getattr(getattr(capture, "_global_capturing", None), "err", None), "targetfd_save", None)
    config._suite_watchdog_stderr = os.fdopen(os.dup(saved if saved is not None else 2), "w")
    faulthandler.dump_traceback_later(SUITE_LIMIT, exit=True, file=config._suite_watchdog_stderr)
    _tree_at_start.update(worktree.snapshot(REPO))


def pytest_unconfigure(config):
    faulthandler.cancel_dump_traceback_later()
    config._suite_watchdog_stderr.close()


def pytest_report_header(config):
    return f"snippets run with PYTHONHASHSEED={HASH_SEED} (to repeat: SNIPPET_HASH_SEED={HASH_SEED} make test)"


def pytest_collection_modifyitems(session, config, items):
    # Snippets first: when one fails, its report comes before the failures it causes elsewhere (a stale output
    # the build refuses, a page that misses it).
    items.sort(key=lambda item: item.originalname != "test_snippet")


class TestTookTooLong(Exception):
    pass


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    def expire(signum, frame):
        raise TestTookTooLong(f"{item.nodeid} ran for more than {TEST_LIMIT} s (tests/conftest.py, TEST_LIMIT)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(TEST_LIMIT)
    try:
        return (yield)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="session")
def chains(tmp_path_factory):
    """Runs snippets in fresh processes forked from one server that has imported torch once."""
    with SnippetRunner(hash_seed=HASH_SEED) as runner:
        chain_runner = ChainRunner(runner, tmp_path_factory.mktemp("snippets"))
        yield chain_runner
        _ran.update(snippet.rel for snippet in chain_runner.results)


_site_build: dict[str, str] = {}  # "failure": the build's log, when it failed
_failed_snippets: list[str] = []


def pytest_runtest_logreport(report):
    if report.failed and "test_snippet[" in report.nodeid:
        _failed_snippets.append(report.nodeid.split("[", 1)[1].rstrip("]"))


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """Both languages built once per run, exactly as CI publishes them (English at /, Chinese at /zh/)."""
    out = tmp_path_factory.mktemp("build") / "site"
    started = time.monotonic()
    run = build(out)
    warnings = [line for line in run.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    if run.returncode != 0 or warnings:
        # Not raised here: pytest would repeat a session fixture's error, log and all, for every test using it.
        cause = (f"snippets that failed above ({', '.join(_failed_snippets)}) come first: the build refuses their "
                 "outputs until they run and `make outputs` records them.\n" if _failed_snippets else "")
        _site_build["failure"] = f"{cause}mkdocs build --strict failed:\n" + ("\n".join(warnings) or run.stderr[-4000:])
        out.mkdir(parents=True, exist_ok=True)
    else:
        print(f"\nsite built in {time.monotonic() - started:.1f} s")
    return out


@pytest.fixture(autouse=True)
def _site_failure_is_reported_once(request):
    # Session fixtures are set up before this one, so a test that needs the site has it built (or failed) by now.
    if "site" in request.fixturenames and "failure" in _site_build:
        if "reported_by" in _site_build:
            pytest.fail(f"the site build failed; its log is in the report of {_site_build['reported_by']}",
                        pytrace=False)
        _site_build["reported_by"] = request.node.nodeid
        pytest.fail(_site_build["failure"], pytrace=False)


def pytest_collection_finish(session):
    # session.items is what will run, after -k/-m deselection (which happens after collection hooks).
    session.snippet_items = sum(1 for item in session.items if item.originalname == "test_snippet")


def pytest_sessionfinish(session, exitstatus):
    # A skipped test is not a passing one: CI must not accept a suite in which a check did not run.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        session.exitstatus = 1
        print(f"\n{len(skipped)} test(s) were skipped; every check must run. See the skip reasons above.")
    # When every snippet test was selected, every snippet must have been executed.
    everything = [s.rel for s in discover()]
    if getattr(session, "snippet_items", 0) == len(everything) and exitstatus == 0:
        missing = sorted(set(everything) - _ran)
        if missing:
            session.exitstatus = 1
            print("\nSnippets that were never executed: " + ", ".join(missing))
    # Tests and snippets read the repository; none may change it (each snippet is also checked as it runs).
    changed = worktree.changes(_tree_at_start, worktree.snapshot(REPO))
    if changed:
        session.exitstatus = 1
        print("\nThe test run changed the repository (a test or a snippet wrote outside its temporary folder, or "
              "a file was edited during the run):\n  " + "\n  ".join(changed))
