"""The image datasets: one `DatasetSpec` each, the one place that describes a dataset.

Plain data, so the Snakefile and the config checks read it without importing torch: the
loader is named ("module:function") and imported only when a dataset is built. A new
dataset is one entry here (plus its loader in `formats` if its files have a new format)
and its config entry (checksums, urls) in the schema and config.yaml.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

# What an experiment's `dataset` belongs to; a kind's `dataset` names one (plan.kinds).
IMAGE = "image"
ISING = "ising"  # the config's dataset value for the Ising data sets, ising_L{L}_T{T}

IDX_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)
CIFAR_ARCHIVE = "cifar-10-python.tar.gz"
CIFAR_TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
CIFAR_TEST_BATCHES = ("test_batch",)
CIFAR_META = "batches.meta"
DIGITS_IMAGES = 1797  # scikit-learn's load_digits


def fixed(n_train):
    """A training size rule: always `n_train` images."""
    return lambda entry: n_train


def configured(key):
    """A training size rule: the config entry's `key` (emnist_lower keeps n_train images)."""
    return lambda entry: entry[key]


def digits_test_size(test_fraction, images=DIGITS_IMAGES):
    """How many of the digits form the test split (the last ones)."""
    return int(round(images * test_fraction))


def _digits_train_size(entry):
    return DIGITS_IMAGES - digits_test_size(entry["test_fraction"])


@dataclass(frozen=True)
class DatasetSpec:
    name: str  # the config's datasets.<name> and the file stem results/data/<name>.npz
    shape: tuple  # (channels, height, width); the .npz stores images flattened row-major
    classes: int  # labels are 0 .. classes - 1
    loader: str  # "module:function": (files, config entry, workdir) -> the four arrays
    train_size: Callable  # (config entry datasets.<name>) -> training images
    files: tuple = ()  # original files, fetched from a mirror or URL, each checksum-verified
    inner_files: tuple = ()  # files inside an archive, verified again before they are opened
    hint: str = ""  # where else the original files may be had, for the error that lacks them
    family: str = IMAGE

    @property
    def checksummed_files(self):
        """Every file whose digest the config must give."""
        return self.files + self.inner_files

    def load(self, files, entry, workdir):
        """The dataset's arrays from its verified `files` (imports the loader: torchvision)."""
        module, function = self.loader.split(":")
        return getattr(import_module(module), function)(files, entry, workdir)


DATASETS = {
    spec.name: spec
    for spec in (
        DatasetSpec(
            "mnist",
            (1, 28, 28),
            10,
            "scaleinv.datasets.formats:load_mnist",
            fixed(60_000),
            IDX_FILES,
        ),
        DatasetSpec(
            "fashion_mnist",
            (1, 28, 28),
            10,
            "scaleinv.datasets.formats:load_fashion_mnist",
            fixed(60_000),
            IDX_FILES,
            hint="Debian: apt-get install dataset-fashion-mnist",
        ),
        DatasetSpec(
            "emnist_lower",
            (1, 28, 28),
            26,
            "scaleinv.datasets.formats:load_emnist_lower",
            configured("n_train"),
            ("gzip.zip",),
        ),
        DatasetSpec(
            "cifar10",
            (3, 32, 32),
            10,
            "scaleinv.datasets.formats:load_cifar10",
            fixed(50_000),
            (CIFAR_ARCHIVE,),
            CIFAR_TRAIN_BATCHES + CIFAR_TEST_BATCHES + (CIFAR_META,),
        ),
        DatasetSpec(
            "digits",
            (1, 8, 8),
            10,
            "scaleinv.datasets.formats:load_digits",
            _digits_train_size,
            (),  # ships with scikit-learn
        ),
    )
}

IMAGE_DATASETS = tuple(DATASETS)


def family(dataset):
    """The family of an experiment's `dataset` as the config writes it (an image dataset's
    id, or ising)."""
    return DATASETS[dataset].family if dataset in DATASETS else ISING
