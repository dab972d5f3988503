"""The README's code runs: its snippets for reading results and using the library."""

import re

import pytest

from conftest import REPO
from scaleinv.analysis.alternatives import ALTERNATIVES

BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def snippets(section):
    """The python code blocks of a README section (up to the next `## ` heading)."""
    text = (REPO / "README.md").read_text()
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return BLOCK.findall(body)


@pytest.mark.slow
def test_reading_the_results_snippets_run_on_a_tiny_run(tiny_run, monkeypatch):
    blocks = snippets("Reading the results")
    assert len(blocks) == 3
    monkeypatch.chdir(tiny_run)
    namespace = {}
    for block in blocks:
        exec(block, namespace)  # noqa: S102
    assert namespace["fits"].height > 0 and namespace["sizes"].height > 0
    assert set(namespace["info"]["layer"]) == {"x", "z1", "z2"}
    assert all(row[5] < 0.1 for row in namespace["rejected"])


def test_using_the_library_snippet_fits_a_known_exponent():
    (block,) = snippets("Using the library")
    namespace = {}
    exec(block, namespace)  # noqa: S102
    result, p = namespace["result"], namespace["p"]
    assert abs(result.alpha - 2.5) < 3 * result.se and 0.01 <= p <= 1
    assert tuple(namespace["tests"]) == ALTERNATIVES
