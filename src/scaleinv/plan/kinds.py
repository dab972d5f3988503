"""The registry of experiment kinds: the one place that says what each `kind:` in the
config is. The schema, the rules, training, code extraction and the config checks all
read it; nothing else compares kind names.

Plain data (no torch), so Snakemake can read it while it parses the workflow. A kind that
trains names its model; `learn.models.MODELS` binds each model name to its builder, so plan
never imports learn. Other packages add kinds through the `scaleinv.kinds` entry-point
group (each entry point names a `Kind`) and their models through `scaleinv.models` (each
names a builder; docs, "Adding a model kind").
"""

from dataclasses import dataclass
from importlib.metadata import entry_points

from scaleinv.codes.binarization import (
    ACTIVATION,
    BINARIZATIONS,
    CLUSTER_ID,
    GIVEN,
    MATCHED,
    SAMPLED,
)
from scaleinv.datasets.catalog import CIFAR10, EMNIST_LOWER, FASHION_MNIST, IMAGE, ISING, MNIST
from scaleinv.errors import ScaleinvError


@dataclass(frozen=True)
class NullRule:
    """How the rule of a matched null's codes runs: workflow/rules/codes.smk makes one rule
    per entry of MATCHED_NULL_RULES, which reads the target's codes (and network, for a
    kind that `matches` "network") and calls `writer` (scripts/matched_null_codes.py)."""

    name: str  # the rule a Kind's `codes` names
    writer: str  # "module:function", imported only in the job (plan never imports learn)
    env: str  # envs/{env}.yaml: analysis, or torch for a null that runs a network
    threads: int
    mem_mb: int
    runtime: int  # minutes


MATCHED_NULL_RULES = (
    NullRule(
        "projection_codes",
        "scaleinv.codes.random_projection:write_projection_codes",
        "analysis",
        threads=1,
        mem_mb=2000,
        runtime=15,
    ),
    NullRule(
        "matched_kmeans_codes",
        "scaleinv.codes.kmeans:write_matched_kmeans_codes",
        "analysis",
        threads=2,
        mem_mb=2000,
        runtime=120,
    ),
    NullRule(
        "shuffled_codes",
        "scaleinv.learn.shuffled_codes:write_shuffled_codes",
        "torch",
        threads=1,
        mem_mb=4000,
        runtime=30,
    ),
    NullRule(
        "random_bit_codes",
        "scaleinv.codes.random_bits:write_random_bit_codes",
        "analysis",
        threads=1,
        mem_mb=2000,
        runtime=15,
    ),
    NullRule(
        "untrained_codes",
        "scaleinv.learn.untrained_codes:write_untrained_codes",
        "torch",
        threads=1,
        mem_mb=4000,
        runtime=30,
    ),
)

# How each kind's codes are made; the value is the rule that writes them.
EXTERNAL_CODES = "external_codes"
NETWORK_CODES = "network_codes"  # one rule per trained experiment (codes_{experiment})
CODE_RULES = (
    NETWORK_CODES,
    "kmeans_codes",
    EXTERNAL_CODES,
    *(rule.name for rule in MATCHED_NULL_RULES),
)

# What an experiment's `dataset` must be: an image dataset, the Ising data sets, or none
# (external codes carry their own samples and labels).
NO_DATASET = "none"
DATASETS = (IMAGE, ISING, NO_DATASET)
# The config keys a trained network reads; a key its kind does not read is a config error.
TRAINING_KEYS = (
    "widths",
    "activation",
    "optimizer",
    "lr",
    "batch",
    "epochs",
    "snapshots",
    "n_train",
    "ensemble",
    "binarization",
    "device",
    "compile",
)
# The config keys of a null matched to a target experiment's layers (docs/null-codes.md).
MATCH_KEYS = ("target", "target_layers", "match")
# ... and of a null that can make several independent draws per seed (z1, z1.draw1, ...)
DRAWN_KEYS = (*MATCH_KEYS, "draws")


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    codes: str | None  # a CODE_RULES rule; None: the kind writes a t-SNE embedding instead
    model: str | None = None  # a learn.models.MODELS name (its module's); None: nothing trains
    binarization: str = ACTIVATION  # a codes.binarization.BINARIZATIONS rule
    dataset: str = IMAGE  # a DATASETS family
    keys: tuple = TRAINING_KEYS  # config keys it reads besides kind, seeds (and dataset)
    layers: int | None = None  # how many hidden widths its model takes; None: any number
    # a null matched to a target experiment's codes (MATCH_KEYS); "network": it also runs
    # the target's trained network, so the target must threshold activations
    matches: str | None = None
    # a null that trains and codes each split's distinct inputs only, beside its `target`
    # (the same network on every input, repeats included)
    deduplicates: bool = False
    # the dataset the paper ran this kind on (SPEC's table), which the claims hold each
    # experiment's own beside; a claim may name another (Fig. 4's mlp: MNIST)
    paper_dataset: str | None = None

    def __post_init__(self):
        for field, value, allowed in (
            ("codes", self.codes, (*CODE_RULES, None)),
            ("binarization", self.binarization, BINARIZATIONS),
            ("dataset", self.dataset, DATASETS),
            ("matches", self.matches, (None, "codes", "network")),
        ):
            if value not in allowed:
                raise ValueError(
                    f"kind {self.name}: {field} must be one of {allowed} (got {value!r})"
                )

    @property
    def config_keys(self):
        """Every key an experiment of this kind may set."""
        return ("kind", "seeds", *(("dataset",) if self.reads_dataset else ()), *self.keys)

    @property
    def trains(self):
        return self.model is not None

    @property
    def writes_embedding(self):
        """A t-SNE embedding of other experiments' codes instead of codes of its own."""
        return self.codes is None

    @property
    def external(self):
        """Its codes come from the user's file (codes or activations), not from data."""
        return self.codes == EXTERNAL_CODES

    @property
    def reads_dataset(self):
        return self.dataset != NO_DATASET

    @property
    def on_ising(self):
        """Runs on the Ising data sets, one experiment id per temperature."""
        return self.dataset == ISING

    @property
    def writes_cluster_ids(self):
        return self.binarization == CLUSTER_ID

    @property
    def samples_states(self):
        """Its codes are the model's own sampled binary states (the RBM's), not thresholds."""
        return self.binarization == SAMPLED

    @property
    def matched(self):
        """A null whose codes are tuned to a target experiment's layers (reads its codes)."""
        return self.matches is not None

    @property
    def null(self):
        """A null of a target experiment (config key `target`), read beside it."""
        return self.matched or self.deduplicates

    @property
    def runs_target_network(self):
        """A null that runs its target's trained network (and reads its snapshot)."""
        return self.matches == "network"

    @property
    def thresholds_activations(self):
        """Its hidden layers are activations cut at a threshold (not states or ids)."""
        return self.binarization == ACTIVATION


BUILT_IN = (
    Kind(
        "rbm",
        "Bernoulli RBM trained by CD-1; codes are hidden states, defined by `code` (Fig. 1a, 2)",
        codes="network_codes",
        model="rbm",
        binarization=SAMPLED,
        keys=(*(k for k in TRAINING_KEYS if k not in ("activation", "binarization")), "code"),
        layers=1,
        paper_dataset=MNIST,
    ),
    Kind(
        "kmeans",
        "k-means clusters of the pixels; the cluster id is the code (control, Fig. 2a)",
        codes="kmeans_codes",
        binarization=CLUSTER_ID,
        keys=("clusters", "n_init", "max_iter"),
        paper_dataset=MNIST,
    ),
    Kind(
        "tsne",
        "2-D t-SNE of a network's codes and of the pixels (Fig. 2b, 2c)",
        codes=None,
        keys=("codes_of", "clusters_of", "samples", "perplexity"),
        paper_dataset=MNIST,
    ),
    Kind(
        "mlp",
        "dense classifier x -> z1 ... zn -> y, cross-entropy (Fig. 1b, 4)",
        codes="network_codes",
        model="mlp",
        paper_dataset=FASHION_MNIST,
    ),
    Kind(
        "ae",
        "dense autoencoder x -> z1 ... zn -> x_hat, MSE (Fig. 1c)",
        codes="network_codes",
        model="autoencoder",
        paper_dataset=EMNIST_LOWER,
    ),
    Kind(
        "cnn_ae",
        "convolutional autoencoder; dense internal layers z1, z2, z3 between conv stages (Fig. 3)",
        codes="network_codes",
        model="cnn_autoencoder",
        layers=3,
        paper_dataset=CIFAR10,
    ),
    Kind(
        "ising_ae",
        "shallow autoencoder of Ising configurations, one experiment per temperature (Fig. 5)",
        codes="network_codes",
        model="autoencoder",
        dataset=ISING,
        keys=(*TRAINING_KEYS, "temperatures"),
    ),
    Kind(
        "external",
        "your own codes (a codes Parquet file) or activations (.npz), analysed without training",
        codes="external_codes",
        binarization=GIVEN,
        dataset=NO_DATASET,
        keys=("codes", "activations", "activation", "binarization"),
    ),
    Kind(
        "random_projection",
        "null: random +-1 projections of the inputs, cut to a target layer's resolution",
        codes="projection_codes",
        binarization=MATCHED,
        keys=DRAWN_KEYS,
        matches="codes",
    ),
    Kind(
        "random_bits",
        "null: i.i.d. random bits per input, independent of it, cut to a target layer's resolution",
        codes="random_bit_codes",
        binarization=MATCHED,
        keys=DRAWN_KEYS,
        matches="codes",
    ),
    Kind(
        "untrained_network",
        "null: the target's architecture at initialisation (its epoch 0), cut to its resolution",
        codes="untrained_codes",
        binarization=MATCHED,
        keys=DRAWN_KEYS,
        matches="network",
    ),
    Kind(
        "shuffled_inputs",
        "null: the target's trained network on inputs whose pixels are shuffled per image",
        codes="shuffled_codes",
        binarization=MATCHED,
        keys=MATCH_KEYS,
        matches="network",
    ),
    Kind(
        "kmeans_matched",
        "null: k-means of the inputs with K = a target layer's number of distinct codes",
        codes="matched_kmeans_codes",
        binarization=CLUSTER_ID,
        keys=(*MATCH_KEYS, "n_init", "max_iter"),
        matches="codes",
    ),
    Kind(
        "ising_ae_unique",
        "null: the Ising autoencoder trained and coded on distinct configurations only",
        codes="network_codes",
        model="autoencoder",
        dataset=ISING,
        keys=(*TRAINING_KEYS, "temperatures", "target"),
        deduplicates=True,
    ),
)


def _load():
    kinds = {kind.name: kind for kind in BUILT_IN}
    for entry in entry_points(group="scaleinv.kinds"):
        kind = entry.load()
        if not isinstance(kind, Kind) or kind.name in kinds:
            raise ScaleinvError(
                f"entry point {entry.name} = {entry.value} (group scaleinv.kinds) must name a "
                f"Kind whose name is new (got {kind!r}; built in: {', '.join(kinds)})"
            )
        kinds[kind.name] = kind
    return kinds


KINDS = _load()
