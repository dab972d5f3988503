"""Rule `external_codes`: your own codes or activations, checked, in the codes contract."""

from scaleinv.codes.external import write_external_codes
from scaleinv.plan.experiments import Experiment
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_external_codes(
        experiment=Experiment.from_params(snakemake.params.experiment),
        seed=int(snakemake.wildcards.seed),
        source=snakemake.input[0],
        codes_path=snakemake.output[0],
    )
