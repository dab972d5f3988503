"""The image datasets: one `DatasetSpec` each, the one place that describes a dataset: its
shape, classes, loader, original files, their published digests and where they are
published.

Plain data, so the Snakefile and the config checks read it without importing torch: the
loader is named ("module:function") and imported only when a dataset is built. A new
dataset is one entry here (plus a loader in `formats` if its files have a new format; any
set of the four IDX files loads with `load_idx`); the schema's dataset names are tested
against this catalog. The config (datasets.<name>) adds what a user chooses and may
override a file's digests or the URLs (`DatasetSpec.configured`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

# What an experiment's `dataset` belongs to; a kind's `dataset` names one (plan.kinds).
IMAGE = "image"
ISING = "ising"  # the config's dataset value for the Ising data sets, ising_L{L}_T{T}

# The names of the paper's datasets, for what refers to them by name (the kinds' paper data).
MNIST, FASHION_MNIST, EMNIST_LOWER, CIFAR10 = "mnist", "fashion_mnist", "emnist_lower", "cifar10"

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


DIGESTS = {"md5": "", "sha256_uncompressed": ""}  # the digests a file may match, "" unknown


def idx_checksums(md5, sha256_uncompressed):
    """The digests of the four IDX_FILES, in their order: the published md5 of each .gz and
    the SHA-256 of its content."""
    return {
        name: {"md5": m, "sha256_uncompressed": h}
        for name, m, h in zip(IDX_FILES, md5, sha256_uncompressed, strict=True)
    }


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
    urls: tuple = ()  # base URLs tried in order after the mirrors (URL + file name)
    # per file of `files` and `inner_files`, the digests it may match (any one suffices): md5
    # of the file as published, sha256_uncompressed of its gunzipped content (recompressed
    # copies)
    checksums: dict = field(default_factory=dict)

    def __post_init__(self):
        unchecked = [
            n for n in self.checksummed_files if not any(self.checksums.get(n, {}).values())
        ]
        if unchecked:
            raise ValueError(f"dataset {self.name}: no published digest for {', '.join(unchecked)}")

    @property
    def checksummed_files(self):
        """Every file that must pass a digest before use."""
        return self.files + self.inner_files

    def configured(self, entry):
        """The config entry datasets.<name> over the catalog's facts: the entry's urls, else
        the catalog's; per file, the digests the entry gives, else the catalog's (each with
        both keys, "" for none, as the schema fills a config's)."""
        given = {**self.checksums, **entry.get("checksums", {})}
        checksums = {n: {**DIGESTS, **digests} for n, digests in given.items()}
        return {**entry, "urls": list(entry.get("urls") or self.urls), "checksums": checksums}

    def load(self, files, entry, workdir):
        """The dataset's arrays from its verified `files` (imports the loader: torchvision)."""
        module, function = self.loader.split(":")
        return getattr(import_module(module), function)(files, entry, workdir)


DATASETS = {
    spec.name: spec
    for spec in (
        DatasetSpec(
            MNIST,
            (1, 28, 28),
            10,
            "scaleinv.datasets.formats:load_idx",
            fixed(60_000),
            IDX_FILES,
            urls=(
                "https://ossci-datasets.s3.amazonaws.com/mnist/",
                "http://yann.lecun.com/exdb/mnist/",
            ),
            # the published .gz's md5, and the SHA-256 of each file's content (the IDX bytes), so
            # a recompressed copy (../shared/datasets/mnist, its README) passes too
            checksums=idx_checksums(
                (
                    "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                    "d53e105ee54ea40749a09fcbcd1e9432",
                    "9fb629c4189551a2d022fa330f9573f3",
                    "ec29112dd5afa0611ce80d1b7f02629c",
                ),
                (
                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
                ),
            ),
        ),
        DatasetSpec(
            FASHION_MNIST,
            (1, 28, 28),
            10,
            "scaleinv.datasets.formats:load_idx",
            fixed(60_000),
            IDX_FILES,
            hint="Debian: apt-get install dataset-fashion-mnist",
            urls=("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",),
            # Debian recompresses the .gz files: the content's SHA-256 is accepted beside the md5
            checksums=idx_checksums(
                (
                    "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                    "25c81989df183df01b3e8a0aad5dffbe",
                    "bef4ecab320f06d8554ea6380940ec79",
                    "bb300cfdad3c16e7a12a480ee83cd310",
                ),
                (
                    "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                    "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                    "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
                ),
            ),
        ),
        DatasetSpec(
            EMNIST_LOWER,
            (1, 28, 28),
            26,
            "scaleinv.datasets.formats:load_emnist_lower",
            configured("n_train"),
            ("gzip.zip",),
            urls=("https://biometrics.nist.gov/cs_links/EMNIST/",),
            checksums={"gzip.zip": {"md5": "58c8d27c78d21e728a6bc7b3cc06412e"}},
        ),
        DatasetSpec(
            CIFAR10,
            (3, 32, 32),
            10,
            "scaleinv.datasets.formats:load_cifar10",
            fixed(50_000),
            (CIFAR_ARCHIVE,),
            CIFAR_TRAIN_BATCHES + CIFAR_TEST_BATCHES + (CIFAR_META,),
            urls=("https://www.cs.toronto.edu/~kriz/",),
            checksums={
                CIFAR_ARCHIVE: {"md5": "c58f30108f718f92721af3b95e74349a"},
                "data_batch_1": {"md5": "c99cafc152244af753f735de768cd75f"},
                "data_batch_2": {"md5": "d4bba439e000b95fd0a9bffe97cbabec"},
                "data_batch_3": {"md5": "54ebc095f3ab1f0389bbae665268c751"},
                "data_batch_4": {"md5": "634d18415352ddfa80567beed471001a"},
                "data_batch_5": {"md5": "482c414d41f54cd18b22e5b47cb7c3cb"},
                "test_batch": {"md5": "40351d587109b95175f43aff81a1287e"},
                CIFAR_META: {"md5": "5ff9c542aee3614f3951f8cda6e48888"},
            },
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
