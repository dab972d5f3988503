"""Rule `kmeans_codes`: cluster ids as codes."""

from scaleinv.codes.kmeans import write_kmeans_codes
from scaleinv.plan.experiments import Experiment
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_kmeans_codes(
        Experiment.from_params(snakemake.params.experiment),
        int(snakemake.wildcards.seed),
        snakemake.input.dataset,
        snakemake.output[0],
    )
