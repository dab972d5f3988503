"""What a user of the field checks before adopting the workflow: a licence, a valid
citation file, one version everywhere, and a changelog entry for it."""

import subprocess
import sys
import tomllib

import pytest
import yaml

import scaleinv
from conftest import REPO


def test_one_version_licence_and_changelog_entry():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["dynamic"] == ["version"] and project["license"] == "MIT"
    assert (REPO / "LICENSE").read_text().startswith("MIT License")
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert citation["version"] == scaleinv.__version__ and citation["license"] == "MIT"
    assert f"## [{scaleinv.__version__}] - " in (REPO / "CHANGELOG.md").read_text()


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
