# Wiring: config check, wildcard constraints, and `job`, which turns a scaleinv.plan function
# into a rule's input or param function. What to build comes from scaleinv.plan: kinds,
# experiments, sweeps, figures, claims; every path from scaleinv.plan.paths.
# Threads reach SLURM as --cpus-per-task: the plugin asks a CPU per thread by default.

import inspect
import sys

import yaml
from snakemake.utils import validate

from scaleinv.datasets.catalog import IMAGE_DATASETS
from scaleinv.inputs import unwritable
from scaleinv.plan.config import config_problems, duplicate_key_errors
from scaleinv.plan import paths, targets
from scaleinv.plan.claims import claims_job, row_facts
from scaleinv.plan.experiments import (
    canonical,
    expand_experiments,
    matched_nulls,
    network_code_jobs,
    snapshot_keys,
    training_jobs,
)
from scaleinv.plan.kinds import MATCHED_NULL_RULES
from scaleinv.plan.paths import CODES, SWEEP, TABLE
from scaleinv.plan.sweeps import figure_axes

CONFIG_SCHEMA = workflow.source_path("../schemas/config.schema.yaml")


def check_config(config):
    """Fill defaults from the schema, or stop before any job with one line listing the problems
    (sys.exit prints just that line; a raised error would add Snakemake's traceback). The
    config files are read again first: Snakemake's loader keeps a duplicate key's last value.
    """
    schema = yaml.safe_load(open(CONFIG_SCHEMA))
    problems = duplicate_key_errors(workflow.configfiles) or config_problems(
        config, schema, lambda c: validate(c, CONFIG_SCHEMA)
    )
    if problems:
        sys.exit("invalid config: " + "; ".join(problems))


def check_results_writable():
    """Stop before any job when results/ or a folder in it cannot be written (Snakemake
    would fail later, with its own traceback, while it tidies up)."""
    problem = unwritable("results")
    if problem:
        sys.exit(f"error: {problem}")


check_config(config)
check_results_writable()
EXPERIMENTS = expand_experiments(config)
NULLS = matched_nulls(EXPERIMENTS)
# the networks that have null codes, and those nulls: what the comparison table reads
COMPARED = sorted({*NULLS, *(null for nulls in NULLS.values() for null in nulls)})
SCALED = targets.scaling_experiments(config, EXPERIMENTS)
METRICS_FILES = targets.metrics_files(EXPERIMENTS)


wildcard_constraints:
    dataset="|".join(IMAGE_DATASETS),
    L=r"\d+",
    T=r"\d+(\.\d+)?",


def job(function, *bound, paths=False):
    """A rule's input or param function: function(*bound, the job's wildcards it takes by
    name); paths=True keeps the path that ends each row it returns (its sources' files).
    """
    takes = inspect.signature(function).parameters

    def of(wildcards):
        value = function(*bound, **{k: v for k, v in wildcards.items() if k in takes})
        return [row[-1] for row in value] if paths else value

    return of


def dataset_sources(wildcards, output):
    """Taking `output` makes this a derived param, which Snakemake leaves out of its rerun
    check, so moving a mirror or a URL reruns nothing."""
    return targets.dataset_sources(config, wildcards.dataset)


def derived(value):
    """A param that is `value` and, a derived param (see dataset_sources), reruns nothing."""
    return lambda wildcards, output: value


def rule_name(stage, experiment, block=0):
    """A rule name per experiment and block of seeds (the config check keeps these unique)."""
    return f"{stage}_{experiment.rule_id}" + (f"_block{block}" if block else "")


def get_claim_inputs():
    """The claims rule's inputs (`.input`) and params (`.params`), computed in one place."""
    return claims_job(config, EXPERIMENTS, paths.table, lambda s: SWEEP.format(sweep=s))
