"""Experiment ids as the workflow sees them: an experiment over the Ising data sets
expands to one id per temperature (ising_ae -> ising_ae_T2.26, ...), and every point of a
sweep is an experiment of its own (scaleinv.plan.sweeps)."""

import re
from dataclasses import asdict, dataclass, field, replace

from scaleinv.codes.binarization import ACTIVATION, describe
from scaleinv.plan.kinds import KINDS, NETWORK_CODES
from scaleinv.plan.sweeps import sweep_points

# Settings that change how codes are made from a trained network, not the training.
CODING_KEYS = ("seeds", "binarization", "code", "temperatures")


@dataclass(frozen=True)
class Experiment:
    id: str  # as in results/.../{experiment}/...
    name: str  # the key under config `experiments`
    dataset: str  # file stem under results/data/ ("" when the kind reads no dataset)
    settings: dict  # the config entry
    temperature: str | None = None  # Ising experiments: T as written in the config
    sweep: str | None = None  # the sweep this is a point of
    point: dict = field(default_factory=dict)  # the point's value of each grid axis
    train_id: str = ""  # the id whose training it shares (itself, unless settings repeat)
    target: str = ""  # a matched null: the id of the experiment whose layers it matches

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
    def code_definition(self):
        """How hidden activations became codes, in words for the tables (fits, sweeps)."""
        settings = self.settings
        # external activations are binarized as a network's layers are
        rule = ACTIVATION if settings.get("activations") else KINDS[self.kind].binarization
        threshold = settings.get("binarization", {}).get("threshold")
        words = describe(rule, settings.get("activation"), threshold, settings.get("code"))
        matched = KINDS[self.kind].matched  # the de-duplicating null is not tuned to its target
        return f"{words} to {self.target}'s {settings['match']}" if matched else words

    @property
    def key(self):
        """Where its settings come from, for messages (experiments.mlp, sweeps.mlp_width)."""
        return f"sweeps.{self.sweep}" if self.sweep else f"experiments.{self.name}"

    @property
    def rule_id(self):
        """The id as it appears in rule names, which must be identifiers (T2.26 -> T2_26)."""
        return re.sub(r"\W", "_", self.id)

    def as_params(self):
        """Plain data for a rule's params, from which `from_params` rebuilds it. Snakemake
        reruns a job when the repr of its params changes, and skips what has no plain repr:
        passing the object itself would hide every changed setting."""
        return canonical(asdict(self))

    def training_params(self):
        """`as_params` for a training job: only the settings its kind reads, without those
        that change only the coding (and the seeds: each job gets its block's). So changing
        the coding, adding a seed to another block, or a new schema key with a default that
        this kind does not read, retrains nothing."""
        return self._params_without(CODING_KEYS)

    def seed_params(self):
        """`as_params` for a job of one seed (code extraction): only the settings its kind
        reads, so adding a seed, or a key another kind reads, redoes no job."""
        return self._params_without(("seeds",))

    def _params_without(self, keys):
        read = KINDS[self.kind].config_keys
        settings = {k: v for k, v in self.settings.items() if k in read and k not in keys}
        return replace(self, settings=settings).as_params()

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


def training_identity(experiment):
    """What fixes a trained network: experiments that agree on it share one training."""
    params = experiment.training_params()
    return repr(canonical({**params["settings"], "dataset": experiment.dataset}))  # Ising T


def expand_experiments(config):
    """{id: Experiment} of every configured experiment and sweep point that writes codes
    (t-SNE writes an embedding and is not here). Give it a config with defaults filled."""
    entries = [(name, settings, None, {}) for name, settings in config["experiments"].items()]
    for sweep, spec in config.get("sweeps", {}).items():
        points = sweep_points(sweep, spec, config["experiments"])
        entries += [(id, settings, sweep, point) for id, (settings, point) in points.items()]
    expanded, trainers = {}, {}
    for name, settings, sweep, point in entries:
        for id, dataset, T in _datasets(name, settings, config["ising"]):
            target = null_target(settings, T)
            experiment = Experiment(id, name, dataset, settings, T, sweep, point, target=target)
            train_id = id
            if KINDS[experiment.kind].trains:
                train_id = trainers.setdefault(training_identity(experiment), id)
            expanded[id] = replace(experiment, train_id=train_id)
    return expanded


def null_target(settings, T):
    """The id of the experiment a null's settings name as its target, at temperature T on
    Ising data (ising_ae -> ising_ae_T1.53, as `_datasets` names them); "" for no null."""
    if not KINDS[settings["kind"]].null:
        return ""
    return settings["target"] if T is None else f"{settings['target']}_T{T}"


UNMATCHED = "unmatched"  # a null compared with its target, not tuned to its resolution


def matched_nulls(experiments):
    """{target id: {null id: [its kind, what it matches (UNMATCHED: nothing)]}} of every
    null, sorted: the comparison's and the claims' params."""
    nulls = {}
    for e in experiments.values():
        if e.target:
            match = e.settings["match"] if KINDS[e.kind].matched else UNMATCHED
            nulls.setdefault(e.target, {})[e.id] = [e.kind, match]
    return canonical(nulls)


def training_jobs(experiments):
    """(experiment, block, seeds) of every training job. An experiment with a training of
    its own (train_id == id) trains the seeds of every experiment that shares it, together,
    in fixed blocks of `ensemble` consecutive seeds (0-7, 8-15, ... for 8): block b holds
    the configured seeds in [b * ensemble, (b + 1) * ensemble). Fixed blocks keep a seed's
    company, and with it its numbers (docs, "Seeds trained together"), independent of
    seeds configured outside its block."""
    seeds = {}
    for experiment in experiments.values():
        if KINDS[experiment.kind].trains:
            seeds.setdefault(experiment.train_id, set()).update(experiment.seeds)
    return [
        (experiments[train_id], block, members)
        for train_id, trained in seeds.items()
        for block, members in seed_blocks(trained, experiments[train_id].settings["ensemble"])
    ]


def network_code_jobs(experiments):
    """(experiment, block, seeds) of every job that codes a trained network: one per block
    of its training (`seed_blocks`), writing every snapshot of those seeds in one process,
    so torch starts once per block, not once per snapshot. A seed joining a block retrains
    that block, so recoding it with the block loses nothing."""
    return [
        (experiment, block, members)
        for experiment in experiments.values()
        if KINDS[experiment.kind].codes == NETWORK_CODES
        for block, members in seed_blocks(experiment.seeds, experiment.settings["ensemble"])
    ]


def seed_blocks(seeds, ensemble):
    """[(block, seeds)]: `seeds`, sorted, in fixed blocks of `ensemble` consecutive seeds."""
    blocks = {}
    for seed in sorted(set(seeds)):
        blocks.setdefault(seed // ensemble, []).append(seed)
    return [(block, tuple(members)) for block, members in sorted(blocks.items())]


def snapshot_keys(experiment, seeds):
    """[(seed, epoch)] of every snapshot of `seeds`: what a training job writes and a code
    job reads, in one order."""
    return [(seed, epoch) for seed in seeds for epoch in experiment.snapshots]


def _datasets(name, settings, ising):
    """(id, dataset file stem, temperature) of each experiment one config entry gives."""
    kind = KINDS[settings["kind"]]
    if kind.writes_embedding:
        return []
    if kind.on_ising:
        temperatures = settings.get("temperatures") or ising["temperatures"]
        return [(f"{name}_T{T}", ising_dataset(ising["L"], T), T) for T in temperatures]
    return [(name, settings["dataset"] if kind.reads_dataset else "", None)]
