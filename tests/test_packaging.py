"""What a user of the field checks before adopting the workflow: a licence, a valid
citation file, one version everywhere, and a changelog entry for it; the metadata a package
index reviews (links, classifiers, keywords, authors) and an sdist whose tests run."""

import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
from urllib.parse import urlsplit

import pytest
import yaml
from packaging.requirements import Requirement

import scaleinv
from conftest import REPO, pins, snakemake


def test_one_version_licence_and_changelog_entry():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["dynamic"] == ["version"] and project["license"] == "MIT"
    assert (REPO / "LICENSE").read_text().startswith("MIT License")
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert citation["version"] == scaleinv.__version__ and citation["license"] == "MIT"
    released = f"## [{scaleinv.__version__}] - {citation['date-released']}\n"
    assert released in (REPO / "CHANGELOG.md").read_text(), "CITATION.cff's date is the release's"


PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
URL_LABELS = {"Homepage", "Repository", "Documentation", "Changelog"}
PLACEHOLDER_HOST = "example.invalid"  # RFC 2606: never anyone's site; release.md replaces it
# Not in the sdist: this project's CI wrapper, git's own file, the outputs folder's marker.
NOT_SHIPPED = {".ci/run", ".gitignore", "results/.gitkeep"}
# The sdist's fast tests that a library user runs: the power-law library, its CLI and the
# statistics (with their known answers), and the tree's own checks (layout, packaging,
# pins). The whole fast subset also runs from the sdist (every tracked file ships, and
# every test module is collected below), but twice its budget is too much for CI's 2 cores.
SDIST_TESTS = (
    "test_powerlaw.py", "test_cli.py", "test_hostile_library.py", "test_powerlaw_fit.py",
    "test_alternatives.py", "test_sequential.py", "test_occupancy.py", "test_layout.py",
    "test_packaging.py", "test_envs.py",
)  # fmt: skip


def test_the_index_metadata_is_complete_and_valid():
    """What a package index shows and checks: links, known classifiers, keywords, authors."""
    from trove_classifiers import classifiers as known

    urls = PROJECT["urls"]
    assert set(urls) == URL_LABELS
    for label, url in urls.items():
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc and " " not in url, (label, url)
    placeholders = [label for label, url in urls.items() if PLACEHOLDER_HOST in url]
    checklist = (REPO / "docs/release.md").read_text()
    assert not placeholders or PLACEHOLDER_HOST in checklist, "release.md must say to fill them"
    listed = PROJECT["classifiers"]
    assert not set(listed) - known, set(listed) - known
    assert "Typing :: Typed" in listed and (REPO / "src/scaleinv/py.typed").exists()
    assert not any(c.startswith("License ::") for c in listed), "PEP 639: the SPDX expression"
    minimum = PROJECT["requires-python"].removeprefix(">=")
    assert f"Programming Language :: Python :: {minimum}" in listed
    assert len(PROJECT["keywords"]) >= 3
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert [a["name"] for a in PROJECT["authors"]] == [a["name"] for a in citation["authors"]]


def test_the_core_is_numpy_and_scipy_and_tables_an_extra():
    """Issue 35 item 6: polars and pyarrow only with the `tables` extra, which the workflow
    requires (tests/test_install.py installs the core without them)."""

    def names(texts):
        return {Requirement(text).name for text in texts}

    extras = PROJECT["optional-dependencies"]
    assert names(PROJECT["dependencies"]) == {"numpy", "scipy"}
    assert names(extras["tables"]) == {"polars", "pyarrow"}
    workflow = [Requirement(text) for text in extras["workflow"]]
    assert any(r.name == "scaleinv" and "tables" in r.extras for r in workflow)


def build_sdist(destination):
    """`python -m build --sdist` of the checkout, without build isolation (no download)."""
    run = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", destination,
         REPO],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    (archive,) = destination.glob("scaleinv-*.tar.gz")
    return archive


@pytest.mark.slow
def test_the_sdists_tests_run_from_the_unpacked_sdist(tmp_path):
    """Issue 35 item 7: the sdist carries every tracked file but CI's and git's own, so its
    tests find their conftest.py, helpers, configs and the workflow; every test module is
    collected there, and the library's fast tests pass against the sdist's own src/."""
    archive = build_sdist(tmp_path / "dist")
    with tarfile.open(archive) as tar:
        members = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
        tar.extractall(tmp_path, filter="data")
    if (REPO / ".git").exists():  # not when this test itself runs from an sdist
        tracked = subprocess.run(
            ["git", "-C", REPO, "ls-files"], capture_output=True, text=True, check=True
        ).stdout.split()
        missing = set(tracked) - members - NOT_SHIPPED
        assert not missing, f"tracked files missing from the sdist: {sorted(missing)}"
    assert not {m for m in members if m.startswith((".ci/", "results/"))}
    assert "src/scaleinv/py.typed" in members and "tests/conftest.py" in members
    unpacked = tmp_path / archive.name.removesuffix(".tar.gz")
    env = {**os.environ, "PYTHONPATH": str(unpacked / "src")}
    pytest_args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow"]
    where = subprocess.run(
        [sys.executable, "-c", "import scaleinv; print(scaleinv.__file__)"],
        capture_output=True, text=True, cwd=unpacked, env=env,
    )  # fmt: skip
    assert where.stdout.strip() == str(unpacked / "src/scaleinv/__init__.py"), where.stderr
    collect = subprocess.run(
        [*pytest_args, "--collect-only", "tests"],
        capture_output=True, text=True, cwd=unpacked, env=env,
    )  # fmt: skip
    assert collect.returncode == 0, collect.stdout[-3000:]
    run = subprocess.run(
        [*pytest_args, *(f"tests/{name}" for name in SDIST_TESTS)],
        capture_output=True, text=True, cwd=unpacked, env=env,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert " passed" in run.stdout.splitlines()[-1]


@pytest.mark.slow
def test_the_citation_file_is_valid_cff(tmp_path):
    """cffconvert pins jsonschema < 4, which Snakemake cannot use: it gets a venv of its own."""
    venv = tmp_path / "cff"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    install = subprocess.run(
        [
            venv / "bin/pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "cffconvert==2.0.0",
        ],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr
    check = subprocess.run(
        [venv / "bin/cffconvert", "--validate", "--infile", REPO / "CITATION.cff"],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0 and "are valid" in check.stdout + check.stderr, check.stderr


@pytest.mark.slow
@pytest.mark.snakemake
def test_a_snakemake_without_scaleinv_parses_plans_and_lints(workflow_copy, tmp_path):
    """The common way to run a published workflow: Snakemake installed on its own."""
    shutil.copytree(
        REPO / "src", workflow_copy / "src", ignore=shutil.ignore_patterns("*.egg-info")
    )
    venv = tmp_path / "snakemake-only"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    snakemake_pin = f"snakemake=={pins()['snakemake']}"
    install = subprocess.run(
        [venv / "bin/pip", "install", "--quiet", "--disable-pip-version-check", snakemake_pin],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr
    bare = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    assert subprocess.run([venv / "bin/python", "-c", "import scaleinv"], env=bare).returncode
    for args, expected in ((["-n"], "This was a dry-run"), (["--lint"], "good condition")):
        run = subprocess.run(
            [venv / "bin/snakemake", *args],
            cwd=workflow_copy,
            capture_output=True,
            text=True,
            env=bare,
        )
        assert run.returncode == 0 and expected in run.stdout + run.stderr, run.stderr


@pytest.mark.slow
@pytest.mark.snakemake
def test_the_workflow_is_usable_as_a_snakemake_module(tmp_path):
    (tmp_path / "Snakefile").write_text(
        'configfile: "config.yaml"\n\n\n'
        f'module scaleinv:\n    snakefile:\n        "{REPO / "Snakefile"}"\n'
        "    config:\n        config\n\n\nuse rule * from scaleinv\n"
    )
    config = {
        "data": {"mirrors": [], "download": False},
        "analysis": {"bootstrap": 10},
        "experiments": {
            "mlp": {
                "kind": "mlp",
                "dataset": "digits",
                "widths": [12],
                "epochs": 1,
                "snapshots": [1],
            }
        },
    }
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    run = snakemake(tmp_path, "--cores", "2", "results/figures/fig1.png")
    assert run.returncode == 0, run.stdout
    assert (tmp_path / "results/figures/fig1.png").read_bytes().startswith(b"\x89PNG")
    assert "rule train_mlp" in run.stdout.replace("localrule", "rule")
