# Config validation, wildcard constraints and the target builders every stage uses.

import sys

import yaml
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from scaleinv.config import complete_figures, consistency_errors, schema_errors
from scaleinv.datasets.catalog import IMAGE_DATASETS
from scaleinv.experiments import canonical, expand_experiments

CONFIG_SCHEMA = workflow.source_path("../schemas/config.schema.yaml")


def check_config(config):
    """Fill defaults from the schema, or stop before any job with one line listing the problems
    (sys.exit prints just that line; a raised error would add Snakemake's traceback)."""
    schema = yaml.safe_load(open(CONFIG_SCHEMA))
    datasets = config.setdefault("datasets", {})
    for dataset in IMAGE_DATASETS:
        datasets.setdefault(dataset, {})  # so the schema fills its defaults
    complete_figures(config, schema)
    try:
        validate(config, CONFIG_SCHEMA)
    except WorkflowError:
        problems = schema_errors(config, schema)
    else:
        problems = consistency_errors(config)
    if problems:
        sys.exit("invalid config: " + "; ".join(problems))


check_config(config)
EXPERIMENTS = expand_experiments(config)


wildcard_constraints:
    dataset="|".join(IMAGE_DATASETS),
    L=r"\d+",
    T=r"\d+(\.\d+)?",


def image_datasets():
    """The image datasets the configured experiments train on."""
    return sorted(
        {e["dataset"] for e in config["experiments"].values()} & set(IMAGE_DATASETS)
    )


def dataset_recipe(wildcards):
    """What determines a dataset's content (not where its files are found), as params,
    so that moving a mirror does not rerun the DAG."""
    spec = config["datasets"].get(wildcards.dataset, {})
    return canonical({key: value for key, value in spec.items() if key != "urls"})


def ising_datasets():
    """The Ising datasets, one per configured temperature, when an experiment uses them."""
    if not any(e["dataset"] == "ising" for e in config["experiments"].values()):
        return []
    ising = config["ising"]
    return expand(
        "results/data/ising_L{L}_T{T}.npz", L=ising["L"], T=ising["temperatures"]
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
    """A rule name per experiment (ids like ising_ae_T2.26 are not identifiers)."""
    return f"{stage}_{experiment.id}".replace(".", "_")


def dataset_of_experiment(wildcards):
    return f"results/data/{EXPERIMENTS[wildcards.experiment].dataset}.npz"


def codes_files():
    return [
        f"results/codes/{e.id}/seed{seed}/epoch{epoch}.parquet"
        for e in EXPERIMENTS.values()
        for seed in e.settings["seeds"]
        for epoch in e.snapshots
    ]


def tsne_ids():
    return [n for n, e in config["experiments"].items() if e["kind"] == "tsne"]


def tsne_inputs(wildcards):
    """The dataset, the embedded codes (last snapshot, first seed) and the k-means codes."""
    settings = config["experiments"][wildcards.experiment]
    source = EXPERIMENTS[settings["codes_of"]]
    clusters = EXPERIMENTS[settings["clusters_of"]]
    return {
        "dataset": f"results/data/{settings['dataset']}.npz",
        "codes": f"results/codes/{source.id}/seed{source.settings['seeds'][0]}/epoch{source.snapshots[-1]}.parquet",
        "clusters": f"results/codes/{clusters.id}/seed{clusters.settings['seeds'][0]}/epoch0.parquet",
    }


def get_final_output():
    targets = expand("results/data/{dataset}.npz", dataset=image_datasets())
    if ising_datasets():
        targets += ising_datasets() + ["results/ising/autocorr.parquet"]
    embeddings = expand(
        "results/embeddings/{experiment}.parquet", experiment=tsne_ids()
    )
    tables = expand(
        "results/{table}/{experiment}.parquet",
        table=("degeneracy", "information", "fits"),
        experiment=EXPERIMENTS,
    )
    return (
        targets
        + codes_files()
        + embeddings
        + tables
        + ["results/fits/summary.tsv"]
        + figure_files()
    )


def codes_sources(wildcards):
    """(experiment, seed, epoch, path) of every codes file of one experiment id."""
    experiment = EXPERIMENTS[wildcards.experiment]
    return [
        (
            experiment.id,
            seed,
            epoch,
            f"results/codes/{experiment.id}/seed{seed}/epoch{epoch}.parquet",
        )
        for seed in experiment.settings["seeds"]
        for epoch in experiment.snapshots
    ]


def codes_of_experiment(wildcards):
    return [source[-1] for source in codes_sources(wildcards)]


def figure_experiments(figure):
    """Experiment ids a figure draws: its configured names expanded (ising_ae -> one id per
    temperature); none configured means every experiment."""
    names = config["figures"][figure]["experiments"]
    return [e.id for e in EXPERIMENTS.values() if not names or e.name in names]


# The tables each figure reads; fig2 also reads its t-SNE embedding.
FIGURE_TABLES = {
    "fig1": "degeneracy",
    "fig2": "degeneracy",
    "fig3": "degeneracy",
    "fig4": "degeneracy",
    "fig5": "degeneracy",
    "fits": "fits",
    "relevance_resolution": "information",
    "info_plane": "information",
}


def figure_inputs(figure):
    tables = FIGURE_TABLES[figure]
    inputs = {
        "tables": [
            f"results/{tables}/{id}.parquet" for id in figure_experiments(figure)
        ]
    }
    if figure == "fig2":
        inputs["embedding"] = (
            f"results/embeddings/{config['figures']['fig2']['embedding']}.parquet"
        )
    return inputs


FIGURES = [name for name in config["figures"] if name != "style"]


def figure_files():
    return expand("results/figures/{name}.{ext}", name=FIGURES, ext=("pdf", "png"))
