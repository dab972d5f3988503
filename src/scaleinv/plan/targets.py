"""What the workflow builds for a config: the datasets, trainings and embeddings its
experiments need, and which experiments each figure draws (the config's `figures` entries
read over the expanded experiments, `experiments.expand_experiments`). The rules take
their targets, inputs and params from here; the claims rest on the same figure selection
(`plan.claims.claim_experiments`). Give it a config with defaults filled.
"""

import re

from scaleinv.datasets.catalog import IMAGE_DATASETS
from scaleinv.plan.experiments import canonical
from scaleinv.plan.figures import FIGURES
from scaleinv.plan.kinds import KINDS
from scaleinv.plan.sweeps import point_values


def drawn_figures(config):
    """The figures of the catalog that the config draws, in catalog order."""
    return [name for name in FIGURES if config["figures"][name]["draw"]]


def figure_experiments(config, experiments, figure):
    """Experiment ids a figure draws: its configured names expanded (ising_ae -> one id per
    temperature); none configured means every experiment (sweep points have figures of
    their own)."""
    names = config["figures"][figure]["experiments"]
    return [e.id for e in experiments.values() if e.name in names or not (names or e.sweep)]


def figure_label(config, figure):
    """The experiments a figure draws as the config names them, for the report's labels."""
    return ", ".join(config["figures"][figure]["experiments"]) or "all"


def figure_facts(config, experiments, figure):
    """What a figure needs to know of its experiments beyond their tables (key-sorted:
    reordering config.yaml must rerun nothing)."""
    drawn = figure_experiments(config, experiments, figure)
    return canonical(
        {
            id: {
                "name": e.name,
                "dataset": e.dataset,
                "temperature": e.temperature,
                "control": not KINDS[e.kind].trains,
                "null": KINDS[e.kind].matched,
            }
            for id, e in experiments.items()
            if id in drawn
        }
    )


def image_datasets(experiments):
    """The image datasets the experiments read."""
    return sorted({e.dataset for e in experiments.values()} & set(IMAGE_DATASETS))


def ising_datasets(experiments):
    """Ising dataset ids, one per temperature an experiment or sweep point uses."""
    return sorted({e.dataset for e in experiments.values() if e.temperature is not None})


def trainings(experiments):
    """(training id, seed) of every network trained, sorted: reordering config.yaml must
    rerun nothing."""
    return sorted(
        {
            (e.train_id, seed)
            for e in experiments.values()
            if KINDS[e.kind].trains
            for seed in e.seeds
        }
    )


def embedding_experiments(config):
    """The experiments that write an embedding rather than codes (not in `experiments`)."""
    return [n for n, e in config["experiments"].items() if KINDS[e["kind"]].writes_embedding]


def figure_inputs(config, experiments, figure, table, embedding):
    """A figure rule's input: the table each experiment drawn contributes, and the embedding
    where the catalog says the figure shows one; `table` and `embedding` are the workflow's
    path templates (results/{table}/{experiment}.parquet, results/embeddings/...)."""
    ids = figure_experiments(config, experiments, figure)
    inputs = {"tables": [table.format(table=FIGURES[figure].table, experiment=id) for id in ids]}
    if FIGURES[figure].embedding:
        inputs["embedding"] = embedding.format(experiment=config["figures"][figure]["embedding"])
    if FIGURES[figure].fits:
        inputs["fits"] = [table.format(table="fits", experiment=id) for id in ids]
    return inputs


def scaling_experiments(config, experiments):
    """Experiment ids the scaling analysis subsamples: its configured names expanded."""
    names = config["scaling"]["experiments"]
    return [e.id for e in experiments.values() if e.name in names]


def scaling_codes(config, experiment, codes):
    """The codes files the scaling analysis of `experiment` reads: those of its first
    scaling.seeds seeds (all where null), every snapshot; as `codes_files`."""
    limit = config["scaling"]["seeds"]
    seeds = experiment.seeds[:limit] if limit else experiment.seeds
    return [entry for entry in codes_files(experiment, codes) if entry[1] in seeds]


def scaling_settings(config):
    """The scaling rule's params: the `scaling` block less the experiment list (adding an
    experiment must rerun no other), and the fit settings with its bootstrap sizes."""
    scaling = {k: v for k, v in config["scaling"].items() if k != "experiments"}
    replicates = ("bootstrap", "occupancy_bootstrap", "estimator_bootstrap")
    fits = {**config["analysis"], **{k: scaling[k] for k in replicates}}
    return canonical({"scaling": scaling, "fits": fits})


def codes_files(experiment, codes):
    """(experiment id, seed, epoch, path) of every codes file of one experiment; `codes` is
    the workflow's template results/codes/{experiment}/seed{seed}/epoch{epoch}.parquet."""
    return [
        (experiment.id, seed, epoch, codes.format(experiment=experiment.id, seed=seed, epoch=epoch))
        for seed in experiment.seeds
        for epoch in experiment.snapshots
    ]


def target_files(experiments, id, seed, codes, snapshot):
    """What a matched null of id `id` reads of its target at `seed`: the target's codes
    file at its last snapshot, and the trained network of that snapshot where the null
    runs it; `codes` and `snapshot` are the workflow's path templates."""
    target = experiments[experiments[id].target]
    epoch = target.snapshots[-1]
    files = {"target_codes": codes.format(experiment=target.id, seed=seed, epoch=epoch)}
    if KINDS[experiments[id].kind].runs_target_network:
        files["snapshot"] = snapshot.format(experiment=target.train_id, seed=seed, epoch=epoch)
    return files


def sweep_sources(experiments, sweep, table):
    """(point id, fits table, information table, {axis: value}) of every point of a sweep;
    `table` is the workflow's template results/{table}/{experiment}.parquet."""
    return [
        (
            id,
            table.format(table="fits", experiment=id),
            table.format(table="information", experiment=id),
            values,
        )
        for id, values in point_values(experiments, sweep)
    ]


def experiments_made_by(experiments, rule):
    """Wildcard constraint: the ids of the experiments whose codes `rule` writes."""
    ids = [e.id for e in experiments.values() if KINDS[e.kind].codes == rule]
    return "|".join(map(re.escape, ids)) or "(?!)"  # (?!) matches nothing


def dataset_recipe(config, dataset):
    """What determines a dataset's content (not where its files are found), as params."""
    spec = config["datasets"].get(dataset, {})
    return canonical({key: value for key, value in spec.items() if key != "urls"})


def dataset_sources(config, dataset):
    """Where a dataset's files may be found: mirrors, cache, download and its URLs."""
    urls = config["datasets"].get(dataset, {}).get("urls", [])
    return canonical({**config["data"], "urls": urls})


def ising_sampling(config):
    """The settings that fix an Ising dataset's samples (not L or T: those are wildcards,
    and the temperature list is not, so adding a temperature reruns no other)."""
    return canonical({k: config["ising"][k] for k in ("n_samples", "algorithm", "seed", "chains")})


def tsne_inputs(config, experiments, name, dataset, codes):
    """A t-SNE rule's inputs: its dataset, the embedded codes (last snapshot, first seed) and
    the k-means codes; `dataset` and `codes` are the workflow's path templates."""
    settings = config["experiments"][name]
    source, clusters = experiments[settings["codes_of"]], experiments[settings["clusters_of"]]
    return {
        "dataset": dataset.format(dataset=settings["dataset"]),
        "codes": codes_files(source, codes)[len(source.snapshots) - 1][-1],
        "clusters": codes_files(clusters, codes)[0][-1],
    }
