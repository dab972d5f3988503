"""The package's folders are its architecture: each stage imports only the stages below
it (no upward import, so no cycle), and torch stays inside `learn/` (and `datasets/`,
whose parsers are torchvision's), so the analysis and the plots run without it."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "scaleinv"

# Each top-level unit's rank: a unit imports only units of lower rank (and itself), never
# those in NEVER. The "May import:" line of each stage's __init__ and the table in
# docs/layout.md (`python tests/test_layout.py` writes it) are checked against these.
RANKS = {
    "__init__": 0,
    "errors": 0,
    "atomic": 1,
    "inputs": 1,
    "tables": 2,
    "rulelog": 2,
    "datasets": 3,
    "ising": 3,
    "stats": 3,
    "codes": 4,
    "plan": 5,
    "learn": 6,
    "analysis": 6,
    "plots": 7,
    "powerlaw": 7,
    "size_files": 7,
    "cli": 8,
}
NEVER = {  # the library's front door is a thin object over stats
    "plots": {"learn"},
    "powerlaw": {"datasets", "ising", "codes", "plan", "learn", "analysis"},
    "size_files": {"datasets", "ising", "codes", "plan", "learn", "analysis", "plots"},
    "cli": {"learn"},
}
TORCH_ALLOWED = {"learn", "datasets"}
FOUNDATION = {unit for unit, rank in RANKS.items() if rank <= 2}
STAGES = [unit for unit in RANKS if (PACKAGE / unit).is_dir()]
LAYOUT_DOC = Path(__file__).parents[1] / "docs" / "layout.md"
TABLE_MARKS = (
    "<!-- stage table: written by tests/test_layout.py -->",
    "<!-- end of stage table -->",
)


def allowed(unit):
    """The stages (folders and top-level modules above the foundation) `unit` may import."""
    lower = {other for other, rank in RANKS.items() if rank < RANKS[unit]}
    return sorted(lower - FOUNDATION - NEVER.get(unit, set()), key=lambda u: (RANKS[u], u))


def docstring(unit):
    path = PACKAGE / unit / "__init__.py" if unit in STAGES else PACKAGE / f"{unit}.py"
    return ast.get_docstring(ast.parse(path.read_text())) or ""


def stage_table():
    """docs/layout.md's table of the stages above the foundation, from RANKS and each
    stage's docstring (its first sentence says what it holds)."""
    rows = [
        "| rank | stage | may import (and the foundation) | what it holds |",
        "|---|---|---|---|",
    ]
    for unit in sorted(set(RANKS) - FOUNDATION, key=lambda u: (-RANKS[u], u)):
        name = f"`{unit}/`" if unit in STAGES else f"`{unit}.py`"
        imports = ", ".join(f"`{other}`" for other in allowed(unit)) or "-"
        holds = " ".join(docstring(unit).split()).split(". ")[0].rstrip(".") + "."
        rows.append(f"| {RANKS[unit]} | {name} | {imports} | {holds} |")
    foundation = ", ".join(f"`{u}`" for u in sorted(FOUNDATION - {"__init__"}))
    rows.append(f"| 0-2 | foundation | - | {foundation} |")
    return "\n".join(rows)


def unit_of(module):
    """'scaleinv.analysis.fits' -> 'analysis'; 'scaleinv' -> '__init__'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).with_suffix("")
        yield path, unit_of(".".join(("scaleinv", *relative.parts)))


def imports(path, module_level_only=False):
    """Modules `path` imports, anywhere in it or at module level only."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if module_level_only else ast.walk(tree)
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
    return found


def test_every_unit_has_a_rank():
    units = {unit for _, unit in modules()}
    assert units == set(RANKS), f"rank the new units: {units ^ set(RANKS)}"


@pytest.mark.parametrize("path,unit", list(modules()), ids=lambda v: str(v))
def test_no_upward_import(path, unit):
    upward = [
        module
        for module in imports(path)
        if module.startswith("scaleinv")
        and unit_of(module) != unit
        and (RANKS[unit_of(module)] >= RANKS[unit] or unit_of(module) in NEVER.get(unit, ()))
    ]
    assert not upward, f"{path.relative_to(PACKAGE)} ({unit}) imports {upward}"


@pytest.mark.parametrize("unit", STAGES)
def test_each_stage_says_what_it_may_import(unit):
    """One statement of the stage rules: the docstring's "May import:" line is RANKS's."""
    line = next((ln for ln in docstring(unit).splitlines() if ln.startswith("May import:")), "")
    assert re.findall(r"`(\w+)`", line) == allowed(unit) and line, (unit, line)


def test_the_layout_page_shows_the_ranks_the_test_enforces():
    text = LAYOUT_DOC.read_text()
    assert f"{TABLE_MARKS[0]}\n{stage_table()}\n{TABLE_MARKS[1]}" in text, (
        "docs/layout.md's stage table is stale: run `python tests/test_layout.py`"
    )


@pytest.mark.parametrize("unit", STAGES + ["__init__"])
def test_no_package_init_does_anything_on_import(unit):
    """An __init__ holds a docstring, imports, constants and definitions: no call runs
    (e.g. no backend switched) when a stage is imported."""
    path = PACKAGE / "__init__.py" if unit == "__init__" else PACKAGE / unit / "__init__.py"
    calls = [
        node.lineno
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant)
    ]
    assert not calls, f"{path.relative_to(PACKAGE)} runs code on import at lines {calls}"


def test_torch_only_in_learn_and_datasets():
    offenders = [
        f"{path.relative_to(PACKAGE)}: {module}"
        for path, unit in modules()
        if unit not in TORCH_ALLOWED
        for module in imports(path, module_level_only=True)
        if module.split(".")[0] in ("torch", "torchvision")
    ]
    assert not offenders


def test_library_never_imports_snakemake():
    offenders = [
        str(path.relative_to(PACKAGE))
        for path, _ in modules()
        if any(module.split(".")[0] == "snakemake" for module in imports(path))
    ]
    assert not offenders


def test_stats_imports_without_tables():
    """`scaleinv.stats` is numpy and scipy only: it imports, every module of it, with polars
    and pyarrow made unimportable."""
    names = sorted(path.stem for path in (PACKAGE / "stats").glob("*.py"))
    script = "import sys; sys.modules.update(polars=None, pyarrow=None); " + "; ".join(
        f"import scaleinv.stats.{name}" for name in names
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_the_workflow_parses_without_the_analysis_stack():
    """What common.smk imports while Snakemake parses (plan/, datasets.catalog) needs no more
    than Snakemake itself brings: a Snakemake-only install must parse and plan the DAG."""
    modules = ("scaleinv.datasets.catalog", "scaleinv.plan.config", "scaleinv.plan.targets",
               "scaleinv.plan.claims", "scaleinv.plan.experiments", "scaleinv.plan.sweeps")  # fmt: skip
    heavy = ("numpy", "polars", "pyarrow", "scipy", "torch", "matplotlib")
    script = f"import sys; import {', '.join(modules)}; print([m for m in {heavy!r} if m in sys.modules])"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


if __name__ == "__main__":  # rewrite docs/layout.md's stage table from RANKS
    text = LAYOUT_DOC.read_text()
    head, rest = text.split(TABLE_MARKS[0])
    LAYOUT_DOC.write_text(
        f"{head}{TABLE_MARKS[0]}\n{stage_table()}\n{TABLE_MARKS[1]}{rest.split(TABLE_MARKS[1])[1]}"
    )
