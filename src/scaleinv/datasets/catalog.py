"""Which original files each image dataset needs, and its image shape; plain data, so the
Snakefile can check a config without importing torch."""

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

# Files fetched from a mirror or URL, each checksum-verified before use.
ORIGINAL_FILES = {
    "mnist": IDX_FILES,
    "fashion_mnist": IDX_FILES,
    "emnist_lower": ("gzip.zip",),
    "cifar10": (CIFAR_ARCHIVE,),
    "digits": (),  # ships with scikit-learn
}

# Files inside an archive that are verified again before they are opened.
INNER_FILES = {"cifar10": CIFAR_TRAIN_BATCHES + CIFAR_TEST_BATCHES + (CIFAR_META,)}

IMAGE_DATASETS = tuple(ORIGINAL_FILES)

# Training images of the datasets whose size is fixed; emnist_lower keeps n_train of its
# images and digits all but its test fraction (checked against the config before any job).
TRAIN_SIZES = {"mnist": 60_000, "fashion_mnist": 60_000, "cifar10": 50_000}
DIGITS_IMAGES = 1797  # scikit-learn's load_digits


def digits_test_size(test_fraction, images=DIGITS_IMAGES):
    """How many of the digits form the test split (the last ones)."""
    return int(round(images * test_fraction))


# Image shape (channels, height, width): the .npz stores images flattened row-major.
IMAGE_SHAPES = {
    "mnist": (1, 28, 28),
    "fashion_mnist": (1, 28, 28),
    "emnist_lower": (1, 28, 28),
    "cifar10": (3, 32, 32),
    "digits": (1, 8, 8),
}


def checksummed_files(dataset):
    """Every file of `dataset` whose digest the config must give."""
    return ORIGINAL_FILES[dataset] + INNER_FILES.get(dataset, ())
