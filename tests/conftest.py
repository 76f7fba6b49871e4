"""Shared fixtures: one snippet server and one site build for the whole run, and a guard that every snippet really
ran."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from tools.site import build
from tools.snippet_runner import ChainRunner, SnippetRunner
from tools.snippets import discover

_ran: set[str] = set()


@pytest.fixture(scope="session")
def chains(tmp_path_factory):
    """Runs snippets in fresh processes forked from one server that has imported torch once."""
    with SnippetRunner() as runner:
        chain_runner = ChainRunner(runner, tmp_path_factory.mktemp("snippets"))
        yield chain_runner
        _ran.update(snippet.rel for snippet in chain_runner.results)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """Both languages built once per run, exactly as CI publishes them (English at /, Chinese at /zh/)."""
    out = tmp_path_factory.mktemp("build") / "site"
    started = time.monotonic()
    run = build(out)
    assert run.returncode == 0, f"mkdocs build --strict failed:\n{run.stderr[-4000:]}"
    warnings = [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
    assert not warnings, "\n".join(warnings)
    print(f"\nsite built in {time.monotonic() - started:.1f} s")
    return out


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
