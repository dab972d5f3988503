"""The conda environments of `--sdm conda` pin what pyproject.toml pins, so a conda run and
a bootstrap run use the same versions (conda itself cannot run here: no channel reachable)."""

import re
import tomllib

import pytest
import yaml

from conftest import REPO

PIN = re.compile(r"^([A-Za-z0-9_.-]+)\s*(==|>=)\s*(\S+)$")


def pins(requirements):
    return dict(
        (match[1].lower(), match[2] + match[3]) for match in map(PIN.match, requirements) if match
    )


@pytest.mark.parametrize("env", ["analysis", "torch"])
def test_env_pins_equal_pyproject(env):
    project = pins(tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"])
    spec = yaml.safe_load((REPO / f"envs/{env}.yaml").read_text())
    pip = next(item["pip"] for item in spec["dependencies"] if isinstance(item, dict))
    listed = pins(pip)
    assert listed and all(project[name] == pin for name, pin in listed.items()), listed
