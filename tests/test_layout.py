"""The package's folders are its architecture: each stage imports only the stages below
it (no upward import, so no cycle), and torch stays inside `learn/` (and `datasets/`,
whose parsers are torchvision's), so the analysis and the plots run without it."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "scaleinv"

# Each top-level unit's rank: a unit imports only units of lower rank (and itself).
RANKS = {
    "__init__": 0,
    "errors": 0,
    "atomic": 1,
    "tables": 2,
    "rulelog": 2,
    "datasets": 3,
    "ising": 3,
    "codes": 4,
    "plan": 5,
    "learn": 6,
    "analysis": 6,
    "plots": 7,
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
