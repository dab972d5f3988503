"""Rule `network_codes`: binary codes of one snapshot of a trained network."""

from scaleinv.learn.network_codes import write_network_codes
from scaleinv.plan.experiments import Experiment
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_network_codes(
        experiment=Experiment.from_params(snakemake.params.experiment),
        seed=int(snakemake.wildcards.seed),
        epoch=int(snakemake.wildcards.epoch),
        threads=snakemake.threads,
        dataset_path=snakemake.input.dataset,
        snapshot_path=snakemake.input.snapshot,
        codes_path=snakemake.output[0],
    )
