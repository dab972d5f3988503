# Config validation, path templates, wildcard constraints and the target builders every
# stage uses. What each experiment kind does comes from the registry, scaleinv.plan.kinds.

import re
import sys

import yaml
from snakemake.utils import validate

from scaleinv.plan.config import config_problems
from scaleinv.datasets.catalog import IMAGE_DATASETS
from scaleinv.plan.experiments import (
    canonical,
    expand_experiments,
    ising_dataset,
    training_jobs,
)
from scaleinv.plan.figures import FIGURES
from scaleinv.plan.kinds import KINDS
from scaleinv.plan.sweeps import TEMPERATURE, robustness_sweeps

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


def check_config(config):
    """Fill defaults from the schema, or stop before any job with one line listing the problems
    (sys.exit prints just that line; a raised error would add Snakemake's traceback)."""
    schema = yaml.safe_load(open(CONFIG_SCHEMA))
    problems = config_problems(config, schema, lambda c: validate(c, CONFIG_SCHEMA))
    if problems:
        sys.exit("invalid config: " + "; ".join(problems))


check_config(config)
EXPERIMENTS = expand_experiments(config)


wildcard_constraints:
    dataset="|".join(IMAGE_DATASETS),
    L=r"\d+",
    T=r"\d+(\.\d+)?",


def experiments_made_by(rule):
    """Wildcard constraint: the ids of the experiments whose codes `rule` writes."""
    ids = [e.id for e in EXPERIMENTS.values() if KINDS[e.kind].codes == rule]
    return "|".join(map(re.escape, ids)) or "(?!)"  # (?!) matches nothing


def image_datasets():
    """The image datasets the configured experiments read."""
    return sorted({e.dataset for e in EXPERIMENTS.values()} & set(IMAGE_DATASETS))


def dataset_recipe(wildcards):
    """What determines a dataset's content (not where its files are found), as params."""
    spec = config["datasets"].get(wildcards.dataset, {})
    return canonical({key: value for key, value in spec.items() if key != "urls"})


def dataset_sources(wildcards, output):
    """Where a dataset's files may be found: mirrors, cache, download and its URLs. Taking
    `output` makes this a derived param, which Snakemake leaves out of its rerun check, so
    moving a mirror or a URL reruns nothing."""
    urls = config["datasets"].get(wildcards.dataset, {}).get("urls", [])
    return canonical({**config["data"], "urls": urls})


def ising_datasets():
    """Ising dataset ids, one per temperature an experiment or sweep point uses."""
    return sorted(
        {e.dataset for e in EXPERIMENTS.values() if e.temperature is not None}
    )


def ising_sampling():
    """The settings that fix an Ising dataset's samples (not L or T: those are wildcards,
    and the temperature list is not, so adding a temperature reruns no other)."""
    return canonical(
        {k: config["ising"][k] for k in ("n_samples", "algorithm", "seed", "chains")}
    )


def cluster_request(mem_mb, runtime):
    """What each job asks a cluster for: memory (MB) and wall time (minutes), the measured
    peaks of the default config on 2 CPU cores with about 2x headroom, and a CPU per thread.
    Sites override them with set-resources in their profile (see the README on SLURM).
    """
    return {
        "mem_mb": mem_mb,
        "runtime": runtime,
        "cpus_per_task": lambda wildcards, threads: threads,
    }


def rule_name(stage, experiment):
    """A rule name per experiment (the config check keeps these unique)."""
    return f"{stage}_{experiment.rule_id}"


def get_dataset(wildcards):
    return DATASET.format(dataset=EXPERIMENTS[wildcards.experiment].dataset)


def get_experiment(wildcards):
    return EXPERIMENTS[wildcards.experiment].seed_params()


def get_snapshot(wildcards):
    """The snapshot an experiment's codes come from: that of the experiment whose training
    it shares (a threshold sweep point codes its base's networks)."""
    train_id = EXPERIMENTS[wildcards.experiment].train_id
    return SNAPSHOT.format(
        experiment=train_id, seed=wildcards.seed, epoch=wildcards.epoch
    )


def codes_of(experiment):
    """(experiment id, seed, epoch, path) of every codes file of one experiment."""
    return [
        (
            experiment.id,
            seed,
            epoch,
            CODES.format(experiment=experiment.id, seed=seed, epoch=epoch),
        )
        for seed in experiment.seeds
        for epoch in experiment.snapshots
    ]


def get_metrics_sources(wildcards):
    """(experiment id, seed, path) of the training metrics of every training, sorted:
    reordering config.yaml must rerun nothing."""
    return sorted(
        {
            (e.train_id, seed, METRICS.format(experiment=e.train_id, seed=seed))
            for e in EXPERIMENTS.values()
            if KINDS[e.kind].trains
            for seed in e.seeds
        }
    )


def get_metrics(wildcards):
    return [path for *_, path in get_metrics_sources(wildcards)]


def get_codes_sources(wildcards):
    return codes_of(EXPERIMENTS[wildcards.experiment])


def get_codes(wildcards):
    return [path for *_, path in get_codes_sources(wildcards)]


def get_external_source(wildcards):
    """The user's codes or activations file of an external experiment, for one seed."""
    settings = EXPERIMENTS[wildcards.experiment].settings
    return (settings["codes"] or settings["activations"]).format(seed=wildcards.seed)


def tsne_ids():
    """The experiments that write an embedding rather than codes."""
    return [
        n for n, e in config["experiments"].items() if KINDS[e["kind"]].codes is None
    ]


def get_tsne_settings(wildcards):
    return canonical(config["experiments"][wildcards.experiment])


def get_tsne_inputs(wildcards):
    """The dataset, the embedded codes (last snapshot, first seed) and the k-means codes."""
    settings = config["experiments"][wildcards.experiment]
    source = EXPERIMENTS[settings["codes_of"]]
    clusters = EXPERIMENTS[settings["clusters_of"]]
    return {
        "dataset": DATASET.format(dataset=settings["dataset"]),
        "codes": codes_of(source)[len(source.snapshots) - 1][-1],
        "clusters": codes_of(clusters)[0][-1],
    }


def drawn_figures():
    """The figures of the catalog that the config draws."""
    return [name for name in FIGURES if config["figures"][name]["draw"]]


def figure_experiments(figure):
    """Experiment ids a figure draws: its configured names expanded (ising_ae -> one id per
    temperature); none configured means every experiment (sweep points have figures of
    their own)."""
    names = config["figures"][figure]["experiments"]
    return [
        e.id for e in EXPERIMENTS.values() if e.name in names or not (names or e.sweep)
    ]


def figure_inputs(figure):
    """The table each experiment drawn contributes, and the embedding where the catalog
    says the figure shows one."""
    ids = figure_experiments(figure)
    inputs = {
        "tables": [
            TABLE.format(table=FIGURES[figure].table, experiment=id) for id in ids
        ]
    }
    if FIGURES[figure].embedding:
        inputs["embedding"] = EMBEDDING.format(
            experiment=config["figures"][figure]["embedding"]
        )
    if FIGURES[figure].fits:
        inputs["fits"] = [TABLE.format(table="fits", experiment=id) for id in ids]
    return inputs


def figure_label(figure):
    """The experiments a figure draws, for the report's labels."""
    return ", ".join(config["figures"][figure]["experiments"]) or "all"


def figure_facts(figure):
    """What a figure needs to know of its experiments beyond their tables (key-sorted:
    reordering config.yaml must rerun nothing)."""
    return canonical(
        {
            id: {
                "name": e.name,
                "dataset": e.dataset,
                "temperature": e.temperature,
                "control": not KINDS[e.kind].trains,
            }
            for id, e in EXPERIMENTS.items()
            if id in figure_experiments(figure)
        }
    )


def sweep_sources(sweep):
    """(point id, fits table, information table, {axis: value}) of every point of a sweep,
    with T as an axis where the points are Ising experiments."""
    return [
        (
            e.id,
            TABLE.format(table="fits", experiment=e.id),
            TABLE.format(table="information", experiment=e.id),
            {**e.point, **({TEMPERATURE: e.temperature} if e.temperature else {})},
        )
        for e in EXPERIMENTS.values()
        if e.sweep == sweep
    ]


def sweep_axes(sweep):
    """A sweep's grid axes, T first for Ising points (the x axis of its figure)."""
    values = sweep_sources(sweep)[0][3]
    return sorted(values, key=lambda axis: axis != TEMPERATURE) or ["point"]


def get_sweep_points(wildcards):
    return canonical(sweep_sources(wildcards.sweep))


def get_sweep_tables(wildcards):
    return [
        path
        for _, fits, information, _ in sweep_sources(wildcards.sweep)
        for path in (fits, information)
    ]


def claim_experiments():
    """{claim: experiment ids} (scaleinv.analysis.claims): each claim rests on its figure's
    experiments; C2 on the k-means controls of Fig. 2, C5 on the Ising experiments of
    Fig. 5, C7 on the networks of Fig. 1. C6 rests on sweeps (robustness_sweeps)."""

    def drawn(figure):
        return figure_experiments(figure) if config["figures"][figure]["draw"] else []

    controls = [
        id
        for id in drawn("fig2")
        if KINDS[EXPERIMENTS[id].kind].binarization == "cluster_id"
    ]
    claims = {
        "C1": drawn("fig1"),
        "C2": controls,
        "C3": drawn("fig3"),
        "C4": drawn("fig4"),
        "C5": [id for id in drawn("fig5") if EXPERIMENTS[id].temperature],
        "C7": drawn("fig1"),
    }
    # sorted: reordering config.yaml must rerun nothing
    return {claim: sorted(ids) for claim, ids in claims.items()}


def claim_inputs():
    ids = sorted({id for ids in claim_experiments().values() for id in ids})
    return {
        "fits": expand(TABLE, table="fits", experiment=ids),
        "information": expand(TABLE, table="information", experiment=ids),
        "sweeps": expand(SWEEP, sweep=robustness_sweeps(config)),
    }


def get_final_output():
    datasets = image_datasets() + ising_datasets()
    return (
        expand(DATASET, dataset=datasets)
        + (["results/ising/autocorr.parquet"] if ising_datasets() else [])
        + (["results/train/metrics.tsv"] if get_metrics(None) else [])
        + [path for e in EXPERIMENTS.values() for *_, path in codes_of(e)]
        + expand(EMBEDDING, experiment=tsne_ids())
        + expand(
            TABLE, table=("degeneracy", "information", "fits"), experiment=EXPERIMENTS
        )
        + ["results/fits/summary.tsv", "results/claims.tsv"]
        + expand(SWEEP, sweep=config["sweeps"])
        + expand(
            FIGURE, figure=[f"sweep_{s}" for s in config["sweeps"]], ext=("pdf", "png")
        )
        + expand(FIGURE, figure=drawn_figures(), ext=("pdf", "png"))
    )
