"""Every file under snippets/ is executed, once, in a fresh process and an empty folder (after its declared
predecessor), and what it prints must be what the pages show (generated/outputs/)."""
import pytest

from tools.outputs import failure_report, mismatch_report
from tools.page_rules import pages_showing
from tools.snippets import discover


@pytest.mark.parametrize("snippet", discover(), ids=lambda s: s.rel)
def test_snippet(snippet, chains):
    result = chains.run(snippet)
    assert result.ok, failure_report(result, pages_showing(snippet.rel))
    problem = mismatch_report(result)
    assert problem is None, problem
