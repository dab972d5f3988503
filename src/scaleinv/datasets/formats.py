"""How each image dataset turns its verified original files into arrays: the loaders that
`catalog.DatasetSpec.loader` names, each (files: dict[name, verified Path], spec: config
entry, workdir: scratch dir) -> arrays.

Parsing is torchvision's: its dataset classes read the IDX and CIFAR files. This module
only lays the verified files out where a class expects them and reshapes the result into
the dataset contract (uint8 images flattened row-major, CIFAR in CHW order; uint8 labels).
"""

import zipfile
from pathlib import Path

import numpy as np
import torchvision.datasets as tvd
from torchvision.datasets.utils import extract_archive

from scaleinv.datasets.catalog import (
    CIFAR_ARCHIVE,
    CIFAR_META,
    CIFAR_TEST_BATCHES,
    CIFAR_TRAIN_BATCHES,
    digits_test_size,
)
from scaleinv.errors import ScaleinvError

# EMNIST byclass labels: 0-9 digits, 10-35 A-Z, 36-61 a-z.
EMNIST_LOWERCASE = range(36, 62)


def _split(x_train, y_train, x_test, y_test):
    def flat(images):
        pixels = int(np.prod(images.shape[1:]))  # -1 cannot be inferred for 0 images
        return np.ascontiguousarray(images.reshape(len(images), pixels), dtype=np.uint8)

    def labels(y):
        return np.asarray(y, dtype=np.uint8)

    return {
        "x_train": flat(x_train),
        "y_train": labels(y_train),
        "x_test": flat(x_test),
        "y_test": labels(y_test),
    }


def _load_idx(torchvision_class):
    def load(files, spec, workdir):
        raw = Path(workdir) / torchvision_class.__name__ / "raw"
        raw.mkdir(parents=True)
        for path in files.values():
            extract_archive(path, raw)
        train = torchvision_class(workdir, train=True)
        test = torchvision_class(workdir, train=False)
        return _split(train.data.numpy(), train.targets, test.data.numpy(), test.targets)

    return load


# Any dataset of the four IDX files (train/t10k images and labels): torchvision's MNIST
# class parses them whatever their content (Fashion-MNIST's class differs only in its URLs).
load_idx = _load_idx(tvd.MNIST)


def load_emnist_lower(files, spec, workdir):
    """EMNIST byclass, lowercase only, labels a-z -> 0-25, a seeded training subsample."""
    raw = Path(workdir) / "EMNIST" / "raw"
    with zipfile.ZipFile(files["gzip.zip"]) as archive:
        for part in ("train", "test"):
            for kind in ("images-idx3", "labels-idx1"):
                member = archive.extract(f"gzip/emnist-byclass-{part}-{kind}-ubyte.gz", raw)
                extract_archive(member, raw)
    splits = []
    for train in (True, False):
        dataset = tvd.EMNIST(workdir, split="byclass", train=train)
        labels = dataset.targets.numpy()
        lower = np.isin(labels, EMNIST_LOWERCASE)
        # EMNIST stores images transposed; swap axes so rows run top to bottom.
        images = dataset.data.numpy()[lower].transpose(0, 2, 1)
        splits.append((images, labels[lower] - EMNIST_LOWERCASE.start))
    (x_train, y_train), (x_test, y_test) = splits
    n_train = spec["n_train"]
    if n_train > len(x_train):
        raise ScaleinvError(
            f"datasets.emnist_lower.n_train must be <= {len(x_train)}, the lowercase "
            f"training images available (got {n_train})"
        )
    keep = np.sort(np.random.default_rng(spec["seed"]).choice(len(x_train), n_train, replace=False))
    return _split(x_train[keep], y_train[keep], x_test, y_test)


def load_cifar10(files, spec, workdir):
    """CIFAR-10 as N x 3072 in CHW order.

    torchvision checks every pickle's MD5 (the catalog's, or the config's) before unpickling it.
    """
    extract_archive(files[CIFAR_ARCHIVE], workdir)
    md5 = {name: digests["md5"] for name, digests in spec["checksums"].items()}

    class VerifiedCIFAR10(tvd.CIFAR10):
        train_list = [[name, md5[name]] for name in CIFAR_TRAIN_BATCHES]
        test_list = [[name, md5[name]] for name in CIFAR_TEST_BATCHES]
        meta = {**tvd.CIFAR10.meta, "md5": md5[CIFAR_META]}

    try:
        train, test = VerifiedCIFAR10(workdir, train=True), VerifiedCIFAR10(workdir, train=False)
    except RuntimeError as error:  # torchvision's word for a failed member checksum
        raise ScaleinvError(
            f"cifar10: a batch file inside cifar-10-python.tar.gz fails its MD5 "
            f"(datasets.cifar10.checksums) ({error}); replace the archive with the original"
        ) from None
    chw = (0, 3, 1, 2)
    return _split(train.data.transpose(chw), train.targets, test.data.transpose(chw), test.targets)


def load_digits(files, spec, workdir):
    """scikit-learn's bundled 8x8 digits, 0-16 scaled to 0-255; the last images are the test split.

    The images are ordered by writer, so a tail split keeps test writers unseen.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = np.rint(digits.images * (255 / 16))
    n_test = digits_test_size(spec["test_fraction"], len(images))
    cut = len(images) - n_test
    return _split(images[:cut], digits.target[:cut], images[cut:], digits.target[cut:])
