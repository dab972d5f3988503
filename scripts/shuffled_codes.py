"""Rule `shuffled_codes`: the target's trained network on per-image shuffled inputs."""

from scaleinv.learn.shuffled_codes import write_shuffled_codes
from scaleinv.plan.experiments import Experiment
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_shuffled_codes(
        experiment=Experiment.from_params(snakemake.params.experiment),
        target=Experiment.from_params(snakemake.params.target),
        seed=int(snakemake.wildcards.seed),
        threads=snakemake.threads,
        dataset_path=snakemake.input.dataset,
        snapshot_path=snakemake.input.snapshot,
        target_codes_path=snakemake.input.target_codes,
        codes_path=snakemake.output[0],
    )
