"""One set of versions everywhere: envs/constraints.txt pins every dependency pyproject.toml
names (core and extras) inside its range, and the conda environments of `--sdm conda` pin
the same versions (conda itself cannot run here: no channel reachable)."""

import re
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement

from conftest import REPO, pins

PIP = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)$")


def requirements():
    """Every third-party requirement of pyproject.toml, core and extras."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    return [Requirement(text) for text in listed if not text.startswith("scaleinv")]


def test_every_dependency_is_pinned_inside_its_range():
    pinned = pins()
    for requirement in requirements():
        name = requirement.name.lower()
        assert name in pinned, f"{name} has no pin in envs/constraints.txt"
        assert requirement.specifier.contains(pinned[name]), (name, pinned[name])
    named = {requirement.name.lower() for requirement in requirements()}
    assert set(pinned) - named <= {"mkdocstrings-python"}  # mkdocstrings[python]'s handler


def test_the_core_is_the_library_alone():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    core = {Requirement(text).name for text in project["dependencies"]}
    assert core == {"numpy", "scipy"}
    extras = {"workflow", "torch", "plots", "tables", "test", "docs"}
    assert set(project["optional-dependencies"]) >= extras
    assert pins()["torch"] == "2.14.1" and pins()["torchvision"] == "0.29.1"


@pytest.mark.parametrize("env", ["analysis", "torch"])
def test_env_pins_equal_the_constraints(env):
    spec = yaml.safe_load((REPO / f"envs/{env}.yaml").read_text())
    pip = next(item["pip"] for item in spec["dependencies"] if isinstance(item, dict))
    listed = {match[1].lower(): match[2] for match in map(PIP.match, pip) if match}
    assert len(listed) == len(pip) and listed.items() <= pins().items(), listed
