"""Rule `kmeans_codes`: cluster ids as codes."""

from scaleinv.baselines import kmeans_codes
from scaleinv.experiments import Experiment
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    kmeans_codes(
        Experiment.from_params(snakemake.params.experiment),
        int(snakemake.wildcards.seed),
        snakemake.input.dataset,
        snakemake.output[0],
    )
