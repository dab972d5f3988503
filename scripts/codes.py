"""Rule `codes`: binary codes of one snapshot."""

import torch

from scaleinv.experiments import Experiment
from scaleinv.extract import extract_codes
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    torch.set_num_threads(snakemake.threads)
    extract_codes(
        Experiment.from_params(snakemake.params.experiment),
        int(snakemake.wildcards.seed),
        int(snakemake.wildcards.epoch),
        snakemake.input.dataset,
        snakemake.input.snapshot,
        snakemake.output[0],
    )
