"""Experiment ids as the workflow sees them: an experiment over the Ising data sets
expands to one id per temperature (ising_ae -> ising_ae_T2.26, ...)."""

from dataclasses import asdict, dataclass

# Image shape (channels, height, width) of each image dataset, for the CNN.
IMAGE_SHAPES = {
    "mnist": (1, 28, 28),
    "fashion_mnist": (1, 28, 28),
    "emnist_lower": (1, 28, 28),
    "cifar10": (3, 32, 32),
    "digits": (1, 8, 8),
}


@dataclass(frozen=True)
class Experiment:
    id: str  # as in results/.../{experiment}/...
    name: str  # the key under config `experiments`
    dataset: str  # file stem under results/data/
    settings: dict  # the config entry

    @property
    def kind(self):
        return self.settings["kind"]

    @property
    def snapshots(self):
        """Epochs coded; k-means has no training, its one 'snapshot' is epoch 0."""
        return [0] if self.kind == "kmeans" else sorted(set(self.settings["snapshots"]))

    @property
    def labelled(self):
        return not self.dataset.startswith("ising_")

    def as_params(self):
        """Plain data for a rule's params, from which `from_params` rebuilds it. Snakemake
        reruns a job when the repr of its params changes, and skips what has no plain repr:
        passing the object itself would hide every changed setting."""
        return canonical(asdict(self))

    @classmethod
    def from_params(cls, params):
        return cls(**params)


def canonical(value):
    """`value` with every dict's keys sorted, recursively: a param's repr then depends on
    the settings, not on the order they were written in config.yaml."""
    if isinstance(value, dict):
        return {key: canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    return value


def expand_experiments(config):
    """{id: Experiment} for every configured experiment (t-SNE is a figure, not here)."""
    expanded = {}
    ising = config["ising"]
    for name, settings in config["experiments"].items():
        if settings["kind"] == "tsne":
            continue
        if settings["dataset"] == "ising":
            for T in ising["temperatures"]:
                dataset = f"ising_L{ising['L']}_T{T}"
                expanded[f"{name}_T{T}"] = Experiment(f"{name}_T{T}", name, dataset, settings)
        else:
            expanded[name] = Experiment(name, name, settings["dataset"], settings)
    return expanded
