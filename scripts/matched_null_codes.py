"""The rules of the matched nulls (scaleinv.plan.kinds.MATCHED_NULL_RULES): the writer the
rule's entry names, given the inputs it takes (a null that runs the target's network also
takes its snapshot and threads)."""

import inspect
from importlib import import_module

from scaleinv.plan.experiments import Experiment
from scaleinv.rulelog import rule_log

module, function = snakemake.params.writer.split(":")
write = getattr(import_module(module), function)
available = {
    "experiment": Experiment.from_params(snakemake.params.experiment),
    "target": Experiment.from_params(snakemake.params.target),
    "seed": int(snakemake.wildcards.seed),
    "threads": snakemake.threads,
    "dataset_path": snakemake.input.dataset,
    "snapshot_path": getattr(snakemake.input, "snapshot", None),
    "target_codes_path": snakemake.input.target_codes,
    "codes_path": snakemake.output[0],
}
with rule_log(snakemake.log[0]):
    write(**{name: available[name] for name in inspect.signature(write).parameters})
