"""Small files in the original dataset formats (IDX, EMNIST zip, CIFAR pickles), made by the tests."""

import gzip
import hashlib
import io
import pickle
import struct
import tarfile
import zipfile

import numpy as np

from scaleinv.datasets.catalog import CIFAR_META, CIFAR_TEST_BATCHES, CIFAR_TRAIN_BATCHES


def md5(data):
    return hashlib.md5(data).hexdigest()


def idx_bytes(array):
    """IDX encoding of a uint8 array (magic: two zero bytes, type 0x08, number of dims)."""
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(
        f">{array.ndim}I", *array.shape
    )
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def gz(data):
    return gzip.compress(data, mtime=0)


def image_set(rng, n, side, classes):
    images = rng.integers(0, 256, size=(n, side, side), dtype=np.uint8)
    labels = rng.integers(0, classes, size=n, dtype=np.uint8)
    return images, labels


def idx_files(rng, n_train=60, n_test=20):
    """MNIST-style files: {name: gz bytes} and the arrays they hold."""
    (xtr, ytr), (xte, yte) = image_set(rng, n_train, 28, 10), image_set(rng, n_test, 28, 10)
    files = {
        "train-images-idx3-ubyte.gz": gz(idx_bytes(xtr)),
        "train-labels-idx1-ubyte.gz": gz(idx_bytes(ytr)),
        "t10k-images-idx3-ubyte.gz": gz(idx_bytes(xte)),
        "t10k-labels-idx1-ubyte.gz": gz(idx_bytes(yte)),
    }
    return files, (xtr, ytr, xte, yte)


def emnist_zip(rng, n_train=200, n_test=80):
    """A gzip.zip with byclass files (62 classes); images stored transposed, as EMNIST does."""
    (xtr, ytr), (xte, yte) = image_set(rng, n_train, 28, 62), image_set(rng, n_test, 28, 62)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part, x, y in (("train", xtr, ytr), ("test", xte, yte)):
            archive.writestr(
                f"gzip/emnist-byclass-{part}-images-idx3-ubyte.gz",
                gz(idx_bytes(x.transpose(0, 2, 1))),
            )
            archive.writestr(f"gzip/emnist-byclass-{part}-labels-idx1-ubyte.gz", gz(idx_bytes(y)))
    return buffer.getvalue(), (xtr, ytr, xte, yte)


def cifar_archive(rng, per_batch=10, tamper=None):
    """cifar-10-python.tar.gz bytes, the member MD5s, and the arrays (N x 3072, CHW).

    tamper: a member name whose content is swapped, after its MD5 is taken, for a pickle
    that would create the file `tamper_payload` if it were ever unpickled.
    """
    members, checksums, data = {}, {}, {}
    for name in CIFAR_TRAIN_BATCHES + CIFAR_TEST_BATCHES:
        x = rng.integers(0, 256, size=(per_batch, 3072), dtype=np.uint8)
        y = rng.integers(0, 10, size=per_batch).tolist()
        members[name] = pickle.dumps({"data": x, "labels": y})
        data[name] = (x, y)
    members[CIFAR_META] = pickle.dumps({"label_names": [f"class{i}" for i in range(10)]})
    checksums = {name: {"md5": md5(blob)} for name, blob in members.items()}
    if tamper:
        members[tamper[0]] = _payload_pickle(tamper[1])
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, blob in members.items():
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(blob)
            archive.addfile(info, io.BytesIO(blob))
    return buffer.getvalue(), checksums, data


class _Touch:
    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def _payload_pickle(path):
    return pickle.dumps(_Touch(path))
