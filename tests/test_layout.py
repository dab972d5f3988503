"""The package's folders are its architecture: each stage imports only the stages below
it (no upward import, so no cycle), and torch stays inside `learn/` (and `datasets/`,
whose parsers are torchvision's), so the analysis and the plots run without it."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "scaleinv"

# Each top-level unit's rank: a unit imports only units of lower rank (and itself).
RANKS = {
    "__init__": 0,
    "errors": 0,
    "atomic": 1,
    "inputs": 1,
    "stats": 1,
    "tables": 2,
    "rulelog": 2,
    "datasets": 3,
    "ising": 3,
    "codes": 4,
    "plan": 5,
    "learn": 6,
    "analysis": 6,
    "plots": 7,
    "powerlaw": 7,
    "cli": 8,
}
TORCH_ALLOWED = {"learn", "datasets"}


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
        and RANKS[unit_of(module)] >= RANKS[unit]
    ]
    assert not upward, f"{path.relative_to(PACKAGE)} ({unit}) imports {upward}"


def test_torch_only_in_learn_and_datasets():
    offenders = [
        f"{path.relative_to(PACKAGE)}: {module}"
        for path, unit in modules()
        if unit not in TORCH_ALLOWED
        for module in imports(path, module_level_only=True)
        if module.split(".")[0] in ("torch", "torchvision")
    ]
    assert not offenders


def test_analysis_and_plots_never_import_learn():
    offenders = [
        f"{path.relative_to(PACKAGE)}: {module}"
        for path, unit in modules()
        if unit in ("analysis", "plots")
        for module in imports(path)
        if module.startswith("scaleinv.learn")
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
