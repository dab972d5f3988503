"""What several benchmarks share: the repository, config.yaml's experiments, their data, and
a fresh copy of the workflow. Benchmarks import this, never one another; of the tests only
tests/workflow_copy.py (standard library, no fixtures), so that the tests and the
benchmarks copy the same files."""

import sys
from pathlib import Path

import torch
import yaml
from snakemake.utils import validate

from scaleinv.datasets.read import read_dataset
from scaleinv.learn.training import resolve_device
from scaleinv.plan.experiments import expand_experiments

sys.path.append(str(Path(__file__).resolve().parents[1] / "tests"))
from workflow_copy import REPO, copy_workflow  # noqa: E402, F401 (copy_workflow: for the benchmarks)


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
