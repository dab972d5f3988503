"""The workflow's output paths (SPEC, "File contracts"): every template and fixed path
once. The rules take their output patterns from here, and `targets` fills the templates
for the inputs and targets it names, so a path is written in one place."""

from scaleinv.plan.experiments import ising_dataset

DATASET = "results/data/{dataset}.npz"
AUTOCORR = "results/ising/autocorr/{dataset}.parquet"
SNAPSHOT = "results/train/{experiment}/seed{seed}/epoch{epoch}.pt"
METRICS = "results/train/{experiment}/seed{seed}/metrics.parquet"
CODES = "results/codes/{experiment}/seed{seed}/epoch{epoch}.parquet"
EMBEDDING = "results/embeddings/{experiment}.parquet"
TABLE = "results/{table}/{experiment}.parquet"
FIGURE = "results/figures/{figure}.{ext}"
SWEEP = "results/sweeps/{sweep}.parquet"
SWEEP_SUMMARY = "results/sweeps/{sweep}.tsv"
SCALING = "results/scaling/{experiment}.{ext}"
# the Ising rule's outputs: one data set per lattice size and temperature (wildcards L, T)
ISING_DATA = DATASET.format(dataset=ising_dataset("{L}", "{T}"))
ISING_AUTOCORR = AUTOCORR.format(dataset=ising_dataset("{L}", "{T}"))
# the tables of the whole run
AUTOCORR_TABLE = "results/ising/autocorr.parquet"
AUTOCORR_SUMMARY = "results/ising/autocorr.tsv"
METRICS_SUMMARY = "results/train/metrics.tsv"
FITS_SUMMARY = "results/fits/summary.tsv"
COMPARISON = "results/fits/comparison.tsv"
RELEVANCE = "results/relevance.tsv"
CLAIMS = "results/claims.tsv"


def table(name, experiment="{experiment}"):
    """results/{name}/{experiment}.parquet; the rule's pattern when no id is given."""
    return TABLE.format(table=name, experiment=experiment)


def scaling(ext, experiment="{experiment}"):
    """results/scaling/{experiment}.{ext}; the rule's pattern when no id is given."""
    return SCALING.format(experiment=experiment, ext=ext)


def figure(name, ext):
    """results/figures/{name}.{ext} (name may hold a wildcard: sweep_{sweep})."""
    return FIGURE.format(figure=name, ext=ext)


def codes(experiment, seed, epoch="{epoch}"):
    return CODES.format(experiment=experiment, seed=seed, epoch=epoch)


def snapshot(experiment, seed, epoch):
    return SNAPSHOT.format(experiment=experiment, seed=seed, epoch=epoch)


def metrics(experiment, seed):
    return METRICS.format(experiment=experiment, seed=seed)


def dataset(name):
    return DATASET.format(dataset=name)
