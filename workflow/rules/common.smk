# Wiring: config check, path templates, wildcard constraints, input and param functions.
# What to build comes from scaleinv.plan: kinds, experiments, sweeps, figures, claims.
# Threads reach SLURM as --cpus-per-task: the plugin asks a CPU per thread by default.

import re
import sys

import yaml
from snakemake.utils import validate

from scaleinv.datasets.catalog import IMAGE_DATASETS
from scaleinv.inputs import content_digest, source_path, unwritable
from scaleinv.plan.config import config_problems, duplicate_key_errors
from scaleinv.plan import targets
from scaleinv.plan.claims import claim_experiments, sweep_bases
from scaleinv.plan.experiments import (
    canonical,
    expand_experiments,
    ising_dataset,
    matched_nulls,
    network_code_jobs,
    snapshot_keys,
    training_jobs,
)
from scaleinv.plan.kinds import KINDS
from scaleinv.plan.sweeps import figure_axes, robustness_sweeps

CONFIG_SCHEMA = workflow.source_path("../schemas/config.schema.yaml")

# Path templates of the outputs users and tests ask for (SPEC "File contracts").
DATASET = "results/data/{dataset}.npz"
AUTOCORR = "results/ising/autocorr/{dataset}.parquet"
SNAPSHOT = "results/train/{experiment}/seed{seed}/epoch{epoch}.pt"
METRICS = "results/train/{experiment}/seed{seed}/metrics.parquet"
CODES = "results/codes/{experiment}/seed{seed}/epoch{epoch}.parquet"
EMBEDDING = "results/embeddings/{experiment}.parquet"
TABLE = "results/{table}/{experiment}.parquet"
FIGURE = "results/figures/{figure}.{ext}"
SWEEP = "results/sweeps/{sweep}.parquet"
SCALING = "results/scaling/{experiment}.{ext}"


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
TRAININGS = targets.trainings(EXPERIMENTS)
CLAIM_EXPERIMENTS = claim_experiments(config, EXPERIMENTS)
SWEEP_BASES = sweep_bases(config, EXPERIMENTS, robustness_sweeps(config))
NULLS = matched_nulls(EXPERIMENTS)
# the networks that have null codes, and those nulls: what the comparison table reads
COMPARED = sorted({*NULLS, *(null for nulls in NULLS.values() for null in nulls)})
SCALED = targets.scaling_experiments(config, EXPERIMENTS)


wildcard_constraints:
    dataset="|".join(IMAGE_DATASETS),
    L=r"\d+",
    T=r"\d+(\.\d+)?",


def experiments_made_by(rule):
    return targets.experiments_made_by(EXPERIMENTS, rule)


def dataset_recipe(wildcards):
    return targets.dataset_recipe(config, wildcards.dataset)


def dataset_sources(wildcards, output):
    """Taking `output` makes this a derived param, which Snakemake leaves out of its rerun
    check, so moving a mirror or a URL reruns nothing."""
    return targets.dataset_sources(config, wildcards.dataset)


def rule_name(stage, experiment):
    """A rule name per experiment (the config check keeps these unique)."""
    return f"{stage}_{experiment.rule_id}"


def get_dataset(wildcards):
    return DATASET.format(dataset=EXPERIMENTS[wildcards.experiment].dataset)


def get_experiment(wildcards):
    return EXPERIMENTS[wildcards.experiment].seed_params()


def get_code_definition(wildcards):
    return EXPERIMENTS[wildcards.experiment].code_definition


def get_target_files(wildcards):
    """A matched null's target codes (and trained network, where the null runs it)."""
    return targets.target_files(
        EXPERIMENTS, wildcards.experiment, wildcards.seed, CODES, SNAPSHOT
    )


def get_target(wildcards):
    return EXPERIMENTS[EXPERIMENTS[wildcards.experiment].target].seed_params()


def codes_of(experiment):
    return targets.codes_files(experiment, CODES)


def get_metrics_sources(wildcards):
    """(training id, seed, path) of the metrics of every training."""
    return [(id, s, METRICS.format(experiment=id, seed=s)) for id, s in TRAININGS]


def get_metrics(wildcards):
    return [path for *_, path in get_metrics_sources(wildcards)]


def get_codes_sources(wildcards):
    return codes_of(EXPERIMENTS[wildcards.experiment])


def get_codes(wildcards):
    return [path for *_, path in get_codes_sources(wildcards)]


def get_external_source(wildcards):
    """The user's codes or activations file of an external experiment, for one seed."""
    settings = EXPERIMENTS[wildcards.experiment].settings
    return source_path(settings["codes"] or settings["activations"], wildcards.seed)


def get_external_digest(wildcards):
    """The SHA-256 of that file, a param: new content reruns the job even when the file's
    modification time is older than its outputs' (cp -p, rsync -t, tar)."""
    return content_digest(get_external_source(wildcards))


def get_scaling_sources(wildcards):
    return targets.scaling_codes(config, EXPERIMENTS[wildcards.experiment], CODES)


def get_scaling_codes(wildcards):
    return [path for *_, path in get_scaling_sources(wildcards)]


def scaled_experiments():
    """Wildcard constraint: the ids the scaling analysis subsamples."""
    return "|".join(map(re.escape, SCALED)) or "(?!)"  # (?!) matches nothing


def get_tsne_settings(wildcards):
    return canonical(config["experiments"][wildcards.experiment])


def get_tsne_inputs(wildcards):
    return targets.tsne_inputs(
        config, EXPERIMENTS, wildcards.experiment, DATASET, CODES
    )


def get_figure_inputs(figure):
    return targets.figure_inputs(config, EXPERIMENTS, figure, TABLE, EMBEDDING)


def sweep_sources(sweep):
    return targets.sweep_sources(EXPERIMENTS, sweep, TABLE)


def get_sweep_points(wildcards):
    return canonical(sweep_sources(wildcards.sweep))


def get_sweep_tables(wildcards):
    return [p for _, *paths, _ in sweep_sources(wildcards.sweep) for p in paths]


def get_sweep_axes(wildcards):
    return figure_axes(EXPERIMENTS, wildcards.sweep)


def get_claim_inputs():
    ids = {id for ids in CLAIM_EXPERIMENTS.values() for id in ids}
    ids |= {
        null for id in ids for null in NULLS.get(id, {})
    }  # read beside their targets
    ids = sorted(ids | set(SWEEP_BASES.values()))
    return {
        "fits": expand(TABLE, table="fits", experiment=ids),
        "information": expand(TABLE, table="information", experiment=ids),
        "sweeps": expand(SWEEP, sweep=robustness_sweeps(config)),
    }


def get_final_output():
    ising = targets.ising_datasets(EXPERIMENTS)
    tables = ("degeneracy", "information", "fits")
    figures = [f"sweep_{s}" for s in config["sweeps"]] + targets.drawn_figures(config)
    return (
        expand(DATASET, dataset=targets.image_datasets(EXPERIMENTS) + ising)
        + (["results/ising/autocorr.parquet"] if ising else [])
        + (["results/train/metrics.tsv"] if TRAININGS else [])
        + [path for e in EXPERIMENTS.values() for *_, path in codes_of(e)]
        + expand(EMBEDDING, experiment=targets.embedding_experiments(config))
        + expand(TABLE, table=tables, experiment=EXPERIMENTS)
        + ["results/fits/summary.tsv", "results/claims.tsv"]
        + (["results/fits/comparison.tsv"] if NULLS else [])
        + expand(SWEEP, sweep=config["sweeps"])
        + expand(FIGURE, figure=figures, ext=("pdf", "png"))
        + expand(SCALING, experiment=SCALED, ext=("parquet", "tsv"))
        + expand(FIGURE, figure=[f"scaling_{e}" for e in SCALED], ext=("pdf", "png"))
    )
