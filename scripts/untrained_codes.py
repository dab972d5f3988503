"""Rule `untrained_codes`: the target's architecture at initialisation, matched to its
layers."""

from scaleinv.learn.untrained_codes import write_untrained_codes
from scaleinv.plan.experiments import Experiment
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_untrained_codes(
        experiment=Experiment.from_params(snakemake.params.experiment),
        target=Experiment.from_params(snakemake.params.target),
        seed=int(snakemake.wildcards.seed),
        threads=snakemake.threads,
        dataset_path=snakemake.input.dataset,
        target_codes_path=snakemake.input.target_codes,
        codes_path=snakemake.output[0],
    )
