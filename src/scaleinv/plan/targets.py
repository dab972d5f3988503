"""What the workflow builds for a config: the datasets, trainings and embeddings its
experiments need, and which experiments each figure draws (the config's `figures` entries
read over the expanded experiments, `experiments.expand_experiments`). The rules take
their targets, inputs and params from here, the paths filled in from `plan.paths`; the
claims rest on the same figure selection (`plan.claims.claim_experiments`). Give it a
config with defaults filled.

A function a rule calls per job names its parameters after the job's wildcards
(`experiment`: an id, `seed`, `dataset`, `sweep`), after the config and the experiments
(common.smk's `job` passes the wildcards it takes).
"""

import re

from scaleinv.datasets.catalog import DATASETS, IMAGE_DATASETS
from scaleinv.inputs import content_digest, source_path
from scaleinv.plan import paths
from scaleinv.plan.experiments import canonical, matched_nulls, snapshot_keys
from scaleinv.plan.figures import CONFIGURED, FIGURES, size
from scaleinv.plan.kinds import KINDS
from scaleinv.plan.sweeps import point_values


def drawn_figures(config):
    """The figures of the catalog that the config draws, in catalog order."""
    return [name for name in CONFIGURED if config["figures"][name]["draw"]]


def figure_settings(config, figure):
    """A figure's params: the shared style, its catalogued size and its config entry (for a
    configured figure), key-sorted."""
    return canonical(
        {**config["figures"]["style"], **size(figure), **config["figures"].get(figure, {})}
    )


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


def figure_inputs(config, experiments, figure):
    """A figure rule's input: the table each experiment drawn contributes, and the embedding
    where the catalog says the figure shows one."""
    ids = figure_experiments(config, experiments, figure)
    inputs = {"tables": [paths.table(FIGURES[figure].table, id) for id in ids]}
    if FIGURES[figure].embedding:
        inputs["embedding"] = paths.EMBEDDING.format(
            experiment=config["figures"][figure]["embedding"]
        )
    if FIGURES[figure].fits:
        inputs["fits"] = [paths.table("fits", id) for id in ids]
    return inputs


def scaling_experiments(config, experiments):
    """Experiment ids the scaling analysis subsamples: its configured names expanded."""
    names = config["scaling"]["experiments"]
    return [e.id for e in experiments.values() if e.name in names]


def scaling_codes(config, experiments, experiment):
    """The codes files the scaling analysis of `experiment` reads: those of its first
    scaling.seeds seeds (all where null), every snapshot; as `codes_files`."""
    limit, e = config["scaling"]["seeds"], experiments[experiment]
    seeds = e.seeds[:limit] if limit else e.seeds
    return [entry for entry in codes_files(experiments, experiment) if entry[1] in seeds]


def scaling_settings(config):
    """The scaling rule's params: the `scaling` block less the experiment list (adding an
    experiment must rerun no other), and the fit settings with its bootstrap sizes."""
    scaling = {k: v for k, v in config["scaling"].items() if k != "experiments"}
    replicates = ("bootstrap", "occupancy_bootstrap", "estimator_bootstrap")
    fits = {**config["analysis"], **{k: scaling[k] for k in replicates}}
    return canonical({"scaling": scaling, "fits": fits})


def codes_files(experiments, experiment):
    """(experiment id, seed, epoch, path) of every codes file of one experiment."""
    e = experiments[experiment]
    return [
        (e.id, seed, epoch, paths.codes(e.id, seed, epoch))
        for seed in e.seeds
        for epoch in e.snapshots
    ]


def metrics_files(experiments):
    """(training id, seed, path) of the metrics of every training."""
    return [(id, seed, paths.metrics(id, seed)) for id, seed in trainings(experiments)]


def dataset_file(experiments, experiment):
    """The data file an experiment reads."""
    return paths.dataset(experiments[experiment].dataset)


def seed_params(experiments, experiment):
    """An experiment's params for a job of one of its seeds (`Experiment.seed_params`)."""
    return experiments[experiment].seed_params()


def target_params(experiments, experiment):
    """A matched null's target's params (`Experiment.seed_params`)."""
    return experiments[experiments[experiment].target].seed_params()


def code_definition(experiments, experiment):
    return experiments[experiment].code_definition


def target_files(experiments, experiment, seed):
    """What matched null `experiment` reads of its target at `seed`: the target's codes
    file at its last snapshot, and the trained network of that snapshot where the null
    runs it."""
    target = experiments[experiments[experiment].target]
    epoch = target.snapshots[-1]
    files = {"target_codes": paths.codes(target.id, seed, epoch)}
    if KINDS[experiments[experiment].kind].runs_target_network:
        files["snapshot"] = paths.snapshot(target.train_id, seed, epoch)
    return files


def external_source(experiments, experiment, seed):
    """The user's codes or activations file of an external experiment, for one seed."""
    settings = experiments[experiment].settings
    return source_path(settings["codes"] or settings["activations"], seed)


def external_digest(experiments, experiment, seed):
    """The SHA-256 of that file, a param: new content reruns the job even when the file's
    modification time is older than its outputs' (cp -p, rsync -t, tar)."""
    return content_digest(external_source(experiments, experiment, seed))


def sweep_sources(experiments, sweep):
    """(point id, fits table, information table, {axis: value}) of every point of a sweep."""
    return [
        (id, paths.table("fits", id), paths.table("information", id), values)
        for id, values in point_values(experiments, sweep)
    ]


def sweep_points(experiments, sweep):
    """The sweep table's params: its points, sorted (`sweep_sources`)."""
    return canonical(sweep_sources(experiments, sweep))


def sweep_tables(experiments, sweep):
    """The sweep table's inputs: the fits and information tables of every point."""
    return [path for _, *tables, _ in sweep_sources(experiments, sweep) for path in tables]


def one_of(ids):
    """Wildcard constraint matching exactly the given ids."""
    return "|".join(map(re.escape, ids)) or "(?!)"  # (?!) matches nothing


def experiments_made_by(experiments, rule):
    """Wildcard constraint: the ids of the experiments whose codes `rule` writes."""
    return one_of([e.id for e in experiments.values() if KINDS[e.kind].codes == rule])


def dataset_recipe(config, dataset):
    """What determines a dataset's content (not where its files are found), as params: its
    config entry over the catalog's digests."""
    spec = DATASETS[dataset].configured(config["datasets"].get(dataset, {}))
    return canonical({key: value for key, value in spec.items() if key != "urls"})


def dataset_sources(config, dataset):
    """Where a dataset's files may be found: mirrors, cache, download and its URLs."""
    urls = DATASETS[dataset].configured(config["datasets"].get(dataset, {}))["urls"]
    return canonical({**config["data"], "urls": urls})


def ising_sampling(config):
    """The settings that fix an Ising dataset's samples (not L or T: those are wildcards,
    and the temperature list is not, so adding a temperature reruns no other)."""
    return canonical({k: config["ising"][k] for k in ("n_samples", "algorithm", "seed", "chains")})


def tsne_settings(config, experiment):
    return canonical(config["experiments"][experiment])


def tsne_inputs(config, experiments, experiment):
    """A t-SNE rule's inputs: its dataset, the embedded codes (last snapshot, first seed) and
    the k-means codes."""
    settings = config["experiments"][experiment]
    source, clusters = experiments[settings["codes_of"]], experiments[settings["clusters_of"]]
    return {
        "dataset": paths.dataset(settings["dataset"]),
        "codes": paths.codes(source.id, source.seeds[0], source.snapshots[-1]),
        "clusters": paths.codes(clusters.id, clusters.seeds[0], clusters.snapshots[0]),
    }


def training_outputs(experiment, seeds):
    """A training job's outputs: every snapshot and the metrics of `seeds`."""
    return {
        "snapshots": [
            paths.snapshot(experiment.id, s, e) for s, e in snapshot_keys(experiment, seeds)
        ],
        "metrics": [paths.metrics(experiment.id, seed) for seed in seeds],
    }


def network_codes_inputs(experiment, seeds):
    """A network's code job's inputs: its dataset and the snapshots of `seeds`."""
    return {
        "dataset": paths.dataset(experiment.dataset),
        "snapshots": [
            paths.snapshot(experiment.train_id, s, e) for s, e in snapshot_keys(experiment, seeds)
        ],
    }


def network_codes_outputs(experiment, seeds):
    """A network's code job's outputs: the codes of every snapshot of `seeds`."""
    return [paths.codes(experiment.id, s, e) for s, e in snapshot_keys(experiment, seeds)]


def final_outputs(config, experiments):
    """Every file the default target asks for."""
    ids, ising = list(experiments), ising_datasets(experiments)
    scaled = scaling_experiments(config, experiments)
    figures = [f"sweep_{s}" for s in config["sweeps"]] + drawn_figures(config)
    figures += [f"scaling_{e}" for e in scaled]  # the catalog's figures drawn per sweep, experiment
    return (
        [paths.dataset(name) for name in image_datasets(experiments) + ising]
        + ([paths.AUTOCORR_TABLE] if ising else [])
        + ([paths.METRICS_SUMMARY] if trainings(experiments) else [])
        + [path for id in ids for *_, path in codes_files(experiments, id)]
        + [paths.EMBEDDING.format(experiment=e) for e in embedding_experiments(config)]
        + [paths.table(t, id) for t in ("degeneracy", "information", "fits") for id in ids]
        + [paths.FITS_SUMMARY, paths.CLAIMS]
        + ([paths.COMPARISON, paths.RELEVANCE] if matched_nulls(experiments) else [])
        + [paths.SWEEP.format(sweep=s) for s in config["sweeps"]]
        + [paths.figure(f, ext) for f in figures for ext in ("pdf", "png")]
        + [paths.scaling(ext, e) for e in scaled for ext in ("parquet", "tsv")]
    )
