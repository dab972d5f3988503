"""What the workflow builds for a config: the datasets, trainings and embeddings its
experiments need, and which experiments each figure draws (the config's `figures` entries
read over the expanded experiments, `experiments.expand_experiments`). The rules take
their targets, inputs and params from here; the claims rest on the same figure selection
(`analysis.claims.claim_experiments`). Give it a config with defaults filled.
"""

from scaleinv.datasets.catalog import IMAGE_DATASETS
from scaleinv.plan.experiments import canonical
from scaleinv.plan.figures import FIGURES
from scaleinv.plan.kinds import KINDS


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
    return [n for n, e in config["experiments"].items() if KINDS[e["kind"]].codes is None]


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
