"""What several benchmarks share: the repository, config.yaml's experiments, their data, and
a fresh copy of the workflow. Benchmarks import this, never the tests or one another."""

import shutil
from pathlib import Path

import torch
import yaml
from snakemake.utils import validate

from scaleinv.datasets.read import read_dataset
from scaleinv.learn.training import resolve_device
from scaleinv.plan.experiments import expand_experiments

REPO = Path(__file__).resolve().parents[1]
# The workflow without results/ (the same files tests/conftest.py copies for the tests).
WORKFLOW_FILES = ("Snakefile", "config.yaml", "workflow", "scripts", "envs", "profiles")


def experiment_of(name):
    """Experiment `name` of config.yaml, schema defaults filled (e.g. ising_ae_T2.26)."""
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    validate(config, str(REPO / "workflow/schemas/config.schema.yaml"))
    return expand_experiments(config)[name]


def dataset_path(experiment):
    """The experiment's data file, made by the workflow's dataset rule."""
    return REPO / f"results/data/{experiment.dataset}.npz"


def experiment_and_data(name, threads):
    """Experiment `name` of config.yaml, its device and its data, on `threads` CPU threads."""
    torch.set_num_threads(threads)
    experiment = experiment_of(name)
    device = resolve_device(experiment.settings["device"], "bench")
    return experiment, device, read_dataset(dataset_path(experiment), experiment.dataset)


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
