"""Training rules: the snapshots and metrics of one block of seeds of an experiment."""

from scaleinv.learn.training import train_experiment
from scaleinv.plan.experiments import Experiment
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    train_experiment(
        Experiment.from_params(snakemake.params.experiment),
        seeds=snakemake.params.seeds,
        threads=snakemake.threads,
        dataset_path=snakemake.input.dataset,
        snapshot_paths=snakemake.output.snapshots,
        metrics_paths=snakemake.output.metrics,
    )
