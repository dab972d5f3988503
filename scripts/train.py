"""Training rules: the snapshots and metrics of one (experiment, seed)."""

import torch

from scaleinv.experiments import Experiment
from scaleinv.rulelog import rule_log
from scaleinv.training import train_experiment

with rule_log(snakemake.log[0]):
    torch.set_num_threads(snakemake.threads)
    experiment = Experiment.from_params(snakemake.params.experiment)
    train_experiment(
        experiment,
        int(snakemake.wildcards.seed),
        snakemake.input.dataset,
        dict(zip(experiment.snapshots, snakemake.output.snapshots, strict=True)),
        snakemake.output.metrics,
    )
