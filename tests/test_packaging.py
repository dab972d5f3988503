"""What a user of the field checks before adopting the workflow: a licence, a valid
citation file, one version everywhere, and a changelog entry for it."""

import os
import shutil
import subprocess
import sys
import tomllib

import pytest
import yaml

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
