"""`mypy --strict` (pyproject.toml's [tool.mypy]) on the library's public face: powerlaw.py,
cli.py and every scaleinv module they import, at module level or inside a function, found
by walking the imports, so a module that joins the chain is checked from then on. The
modules are named one by one: the editable install puts src/ on the site-packages path,
where mypy follows a module without reporting its errors. Beside them, the documented
library examples (README, docs/library.md) type-check as a user's script would."""

import ast
import re
import subprocess
import sys
from collections import Counter

import pytest

from conftest import REPO

SRC = REPO / "src"
ROOTS = ("scaleinv.powerlaw", "scaleinv.cli")
EXAMPLES = (("README.md", "## The library\n"), ("docs/library.md", None))


def module_file(name):
    """The source file of scaleinv module `name` (None for a name that is not one, such
    as an attribute imported with `from scaleinv.x import y`)."""
    path = SRC.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def scaleinv_imports(path):
    """Every scaleinv module `path` imports, anywhere in the file (lazy imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] == "scaleinv" and module_file(name)}


def checked_modules():
    """ROOTS and every scaleinv module they reach, with the packages that hold them."""
    seen, todo = set(), list(ROOTS)
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for package in (".".join(parts[:i]) for i in range(1, len(parts))):
            seen.add(package)
        if name not in seen:
            seen.add(name)
            todo.extend(scaleinv_imports(module_file(name)))
    return sorted(seen)


def mypy(*paths, cwd=REPO):
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", REPO / "pyproject.toml", *paths],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


def errors_per_file(output):
    return Counter(re.findall(r"^(\S+?\.py):\d+: error:", output, re.MULTILINE))


def test_the_checked_modules_are_the_chain_of_imports():
    modules = checked_modules()
    assert {"scaleinv", "scaleinv.stats", "scaleinv.powerlaw", "scaleinv.cli"} <= set(modules)
    assert {"scaleinv.stats.powerlaw_fit", "scaleinv.stats.alternatives"} <= set(modules)
    assert not any(name.split(".")[1:2] in (["analysis"], ["plots"]) for name in modules)


@pytest.mark.slow
def test_the_library_is_clean_under_mypy_strict():
    files = [str(module_file(name).relative_to(REPO)) for name in checked_modules()]
    run = mypy(*files)
    counts = ", ".join(f"{path}: {n}" for path, n in sorted(errors_per_file(run.stdout).items()))
    assert run.returncode == 0, f"{counts}\n{run.stdout[-4000:]}{run.stderr}"
    assert run.stdout.startswith("Success: no issues found"), run.stdout


@pytest.mark.slow
def test_the_documented_examples_type_check(tmp_path):
    """As a user's scripts: the library pages' Python blocks (`fit.plot_ccdf(...)` then
    `ax.figure.savefig(...)` among them). A block that imports scaleinv starts a script;
    a block that does not goes on with the one before (it uses that one's `fit`)."""
    scripts: list[list[str]] = []
    for page, after in EXAMPLES:
        text = (REPO / page).read_text()
        text = text.split(after, 1)[1] if after else text
        blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
        assert blocks, page
        for block in blocks[:1] if after else blocks:
            if re.search(r"^(from|import) scaleinv", block, re.MULTILINE) or not scripts:
                scripts.append([])
            scripts[-1].append(block)
    names = []
    for number, blocks in enumerate(scripts):
        names.append(f"example_{number}.py")
        (tmp_path / names[-1]).write_text("\n".join(blocks))
    run = mypy(*names, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr
