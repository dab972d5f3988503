"""Rule `kmeans_codes`: cluster ids as codes."""

from scaleinv.codes.kmeans import write_kmeans_codes
from scaleinv.plan.experiments import Experiment
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_kmeans_codes(
        experiment=Experiment.from_params(snakemake.params.experiment),
        seed=int(snakemake.wildcards.seed),
        dataset_path=snakemake.input.dataset,
        codes_path=snakemake.output[0],
    )
