"""Experiment ids as the workflow sees them: an experiment over the Ising data sets
expands to one id per temperature (ising_ae -> ising_ae_T2.26, ...)."""

from dataclasses import asdict, dataclass

from scaleinv.kinds import KINDS


@dataclass(frozen=True)
class Experiment:
    id: str  # as in results/.../{experiment}/...
    name: str  # the key under config `experiments`
    dataset: str  # file stem under results/data/ ("" when the kind reads no dataset)
    settings: dict  # the config entry
    temperature: str | None = None  # Ising experiments: T as written in the config

    @property
    def kind(self):
        return self.settings["kind"]

    @property
    def snapshots(self):
        """Epochs coded; a kind that does not train has one 'snapshot', epoch 0."""
        return sorted(set(self.settings["snapshots"])) if KINDS[self.kind].trains else [0]

    @property
    def seeds(self):
        return self.settings["seeds"]

    @property
    def rule_id(self):
        """The id as it appears in rule names, which must be identifiers (T2.26 -> T2_26)."""
        return self.id.replace(".", "_").replace("-", "_")

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


def ising_dataset(L, T):
    """The file stem of the Ising data set at lattice size L and temperature T."""
    return f"ising_L{L}_T{T}"


def expand_experiments(config):
    """{id: Experiment} of every configured experiment that writes codes (t-SNE writes an
    embedding and is not here)."""
    expanded = {}
    ising = config["ising"]
    for name, settings in config["experiments"].items():
        kind = KINDS[settings["kind"]]
        if kind.codes is None:
            continue
        if kind.dataset == "ising":
            for T in ising["temperatures"]:
                id = f"{name}_T{T}"
                expanded[id] = Experiment(id, name, ising_dataset(ising["L"], T), settings, T)
        elif kind.dataset == "none":
            expanded[name] = Experiment(name, name, "", settings)
        else:
            expanded[name] = Experiment(name, name, settings["dataset"], settings)
    return expanded
