"""Rule `network_codes`: binary codes of one snapshot of a trained network."""

from scaleinv.learn.network_codes import write_network_codes
from scaleinv.plan.experiments import Experiment
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_network_codes(
        Experiment.from_params(snakemake.params.experiment),
        int(snakemake.wildcards.seed),
        int(snakemake.wildcards.epoch),
        snakemake.threads,
        snakemake.input.dataset,
        snakemake.input.snapshot,
        snakemake.output[0],
    )
