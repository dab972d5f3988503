"""The README and the docs site say true things: their code runs, the README stays short and
its quick start is CI's, every link resolves, the site builds strictly, and the
configuration reference is the schema's."""

import re
import subprocess
import sys

import pytest
import yaml

from conftest import REPO
from scaleinv.plan.reference import config_reference
from scaleinv.stats.alternatives import ALTERNATIVES

BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def snippets(page, section):
    """The python code blocks of a page's section (from its `## ` heading to the next)."""
    text = (REPO / page).read_text()
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return BLOCK.findall(body)


@pytest.mark.slow
def test_reading_the_results_snippets_run_on_a_tiny_run(tiny_run, monkeypatch):
    blocks = BLOCK.findall((REPO / "docs/reading-results.md").read_text())
    assert len(blocks) == 4
    monkeypatch.chdir(tiny_run)
    namespace = {}
    for block in blocks:
        exec(block, namespace)  # noqa: S102
    assert namespace["fits"].height > 0 and namespace["sizes"].height > 0
    assert set(namespace["info"]["layer"]) == {"x", "z1", "z2"}
    assert all(row[5] < 0.1 for row in namespace["rejected"])
    assert namespace["relevance"].height > 0  # results/relevance.tsv, the tiny config's nulls


def test_the_readme_library_example_fits_a_known_exponent():
    (block,) = snippets("README.md", "The library")
    namespace = {}
    exec(block, namespace)  # noqa: S102
    fit, p = namespace["fit"], namespace["p"]
    assert abs(fit.alpha - 2.5) < 3 * fit.se and 0.01 <= p <= 1 and namespace["R"] > 0


@pytest.mark.slow
def test_the_library_page_snippets_run(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    namespace, functions = {}, {}
    for section in ("A `Fit`, as in `powerlaw` and poweRlaw", "Plots"):
        for block in snippets("docs/library.md", section):
            exec(block, namespace)  # noqa: S102
    (block,) = snippets("docs/library.md", "The functions under it")
    exec(block, functions)  # noqa: S102
    assert (tmp_path / "my-fit.png").read_bytes().startswith(b"\x89PNG")
    ci, result = namespace["ci"], functions["result"]
    assert ci.alpha[0] < namespace["fit"].alpha < ci.alpha[1]
    assert abs(result.alpha - 2.5) < 3 * result.se and tuple(functions["tests"]) == ALTERNATIVES


def test_the_readme_is_short_and_its_quick_start_is_what_ci_runs():
    readme = (REPO / "README.md").read_text()
    assert len(readme.splitlines()) <= 200
    ci = (REPO / ".ci/run").read_text().strip().splitlines()[-1]
    quick_start = snippets("README.md", "Quick start")
    assert quick_start == []  # bash, not python: read the block itself
    block = readme.split("## Quick start\n", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    assert block.splitlines()[1].split("  #")[0].strip() == ci
    assert (REPO / "docs/ccdf.png").read_bytes().startswith(b"\x89PNG")


def test_every_relative_link_of_the_readme_and_changelog_resolves():
    for page in ("README.md", "CHANGELOG.md"):
        for target in LINK.findall((REPO / page).read_text()):
            if "://" not in target:
                assert (REPO / target).exists(), f"{page} links to missing {target}"


def test_the_config_reference_lists_every_schema_key_with_its_default():
    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text())
    page = config_reference(schema)
    rows = {line.split("`")[1]: line for line in page.splitlines() if line.startswith("| `")}
    assert set(schema["properties"]) <= {key.split(".")[0] for key in rows}
    for name, spec in schema["properties"]["analysis"]["properties"].items():
        assert f"`{yaml.safe_dump(spec['default']).split()[0]}`".replace("'", '"') in rows[
            f"analysis.{name}"
        ] or spec["default"] in (None, "auto"), name
    assert "`experiments.<name>.epochs` | integer, >= 1, &lt;= 100000 | `10` |" in page
    assert "Its keys are those of `figures.fig1`." in rows["figures.ccdf"]
    assert "&lt;i&gt;" not in page and "&lt;i>" in page  # `width<i>` is text, not a tag


def test_a_schema_key_added_elsewhere_appears_in_the_reference():
    """What the hook relies on: a key another branch adds is documented with no docs edit."""
    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text())
    schema["properties"]["analysis"]["properties"]["new_key"] = {
        "description": "A | new key.",
        "default": 3,
        "type": "integer",
        "minimum": 1,
    }
    assert "| `analysis.new_key` | integer, >= 1 | `3` | A \\| new key. |" in config_reference(
        schema
    )


@pytest.mark.slow
def test_the_docs_site_builds_strictly(tmp_path):
    """mkdocs build --strict: a broken link, a missing page in the nav, a stale anchor or an
    API reference to a name that no longer exists fails it."""
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", tmp_path / "site"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "site/config-reference/index.html").read_text()
    assert "analysis.bootstrap" in page and "figures.ccdf" in page
    api = (tmp_path / "site/api/index.html").read_text()
    assert "bootstrap_ci" in api and "plot_ccdf" in api
