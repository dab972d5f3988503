"""Codes rule of a trained network (codes_{experiment}): every snapshot of a block of seeds."""

from scaleinv.learn.network_codes import write_block_codes
from scaleinv.plan.experiments import Experiment
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_block_codes(
        experiment=Experiment.from_params(snakemake.params.experiment),
        snapshots=[
            (seed, epoch, snapshot, codes)
            for (seed, epoch), snapshot, codes in zip(
                snakemake.params.snapshots,
                snakemake.input.snapshots,
                snakemake.output,
                strict=True,
            )
        ],
        threads=snakemake.threads,
        dataset_path=snakemake.input.dataset,
    )
