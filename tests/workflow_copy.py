"""The workflow's files and a fresh working copy of them, for the tests that run Snakemake
and for the benchmarks that time it (benchmarks/common.py imports this module, the one
piece of the tests they share: standard library only, no fixtures)."""

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# What a run of the workflow reads; results/ is left behind.
WORKFLOW_FILES = ("Snakefile", "config.yaml", "workflow", "scripts", "envs", "profiles")


def copy_workflow(destination):
    """A fresh working copy of the workflow (no results/) in `destination`."""
    for name in WORKFLOW_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(
                source, destination / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(source, destination / name)
    return destination
