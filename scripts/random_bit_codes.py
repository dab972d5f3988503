"""Rule `random_bit_codes`: random bits, independent of the inputs, matched to a target's
layers."""

from scaleinv.codes.random_bits import write_random_bit_codes
from scaleinv.plan.experiments import Experiment
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_random_bit_codes(
        experiment=Experiment.from_params(snakemake.params.experiment),
        target=Experiment.from_params(snakemake.params.target),
        seed=int(snakemake.wildcards.seed),
        dataset_path=snakemake.input.dataset,
        target_codes_path=snakemake.input.target_codes,
        codes_path=snakemake.output[0],
    )
