"""Datasets from mirrors, the download cache and a loopback server, all checksum-verified."""

import gzip
import hashlib
import subprocess
from importlib import import_module

import numpy as np
import pytest
import torchvision.datasets as tvd

from conftest import REPO, SHARED_MNIST, needs_shared_mnist
from scaleinv.atomic import save_npz
from scaleinv.datasets.build import build_dataset, write_image_dataset
from scaleinv.datasets.catalog import (
    CIFAR_ARCHIVE,
    CIFAR_META,
    CIFAR_TEST_BATCHES,
    CIFAR_TRAIN_BATCHES,
    DATASETS,
    IDX_FILES,
    IMAGE,
    ISING,
    family,
)
from scaleinv.datasets.read import Dataset, read_dataset
from scaleinv.datasets.sources import locate, mismatch
from scaleinv.errors import ScaleinvError
from synthetic import cifar_archive, emnist_zip, gz, idx_bytes, idx_files, md5


def write(directory, files):
    directory.mkdir(parents=True, exist_ok=True)
    for name, blob in files.items():
        (directory / name).write_bytes(blob)


def data_settings(tmp_path, mirrors=(), download=False):
    return {
        "mirrors": [str(m) for m in mirrors],
        "cache": str(tmp_path / "cache"),
        "download": download,
    }


def assert_arrays(arrays, xtr, ytr, xte, yte):
    assert arrays["x_train"].dtype == np.uint8 and arrays["y_train"].dtype == np.uint8
    np.testing.assert_array_equal(arrays["x_train"], xtr.reshape(len(xtr), -1))
    np.testing.assert_array_equal(arrays["y_train"], ytr)
    np.testing.assert_array_equal(arrays["x_test"], xte.reshape(len(xte), -1))
    np.testing.assert_array_equal(arrays["y_test"], yte)


@pytest.fixture
def idx(tmp_path):
    files, arrays = idx_files(np.random.default_rng(0))
    return files, arrays, {"checksums": {name: {"md5": md5(blob)} for name, blob in files.items()}}


@pytest.mark.parametrize("dataset", ["mnist", "fashion_mnist"])
def test_idx_dataset_loads_from_a_mirror(tmp_path, idx, dataset):
    files, arrays, spec = idx
    write(tmp_path / "mirror", files)
    built = build_dataset(
        dataset, spec, data_settings(tmp_path, [tmp_path / "nowhere", tmp_path / "mirror"])
    )
    assert_arrays(built, *arrays)


def test_recompressed_files_pass_by_content_digest(tmp_path, idx):
    """Debian recompresses Fashion-MNIST: the .gz MD5 differs, the content SHA-256 matches."""
    files, arrays, _ = idx
    recompressed = {
        name: gzip.compress(gzip.decompress(blob), compresslevel=1, mtime=1)
        for name, blob in files.items()
    }
    assert all(md5(recompressed[n]) != md5(files[n]) for n in files)
    spec = {
        "checksums": {
            name: {
                "md5": md5(blob),
                "sha256_uncompressed": hashlib.sha256(gzip.decompress(blob)).hexdigest(),
            }
            for name, blob in files.items()
        }
    }
    write(tmp_path / "mirror", recompressed)
    assert_arrays(
        build_dataset("fashion_mnist", spec, data_settings(tmp_path, [tmp_path / "mirror"])),
        *arrays,
    )


def test_checksum_mismatch_names_the_file_and_every_place_tried(tmp_path, idx):
    files, _, spec = idx
    write(tmp_path / "mirror", {**files, "t10k-labels-idx1-ubyte.gz": b"corrupt"})
    with pytest.raises(ScaleinvError) as error:
        build_dataset("mnist", spec, data_settings(tmp_path, [tmp_path / "mirror"]))
    message = str(error.value)
    assert "\n" not in message
    assert "dataset mnist could not be obtained" in message
    assert f"{tmp_path / 'mirror'}: t10k-labels-idx1-ubyte.gz fails its checksum" in message
    assert f"{tmp_path / 'cache' / 'mnist'}: no such directory" in message
    assert "download: switched off (data.download: false)" in message
    assert "data.mirrors" in message


def test_without_config_digests_the_catalogs_published_ones_apply(tmp_path, idx):
    files, _, spec = idx
    write(tmp_path / "mirror", files)
    with pytest.raises(ScaleinvError) as error:
        build_dataset("mnist", {}, data_settings(tmp_path, [tmp_path / "mirror"]))
    published = DATASETS["mnist"].checksums["train-images-idx3-ubyte.gz"]
    assert "\n" not in str(error.value)
    assert (
        f"train-images-idx3-ubyte.gz fails its checksum (md5 {md5(files['train-images-idx3-ubyte.gz'])}, sha256 of its content {hashlib.sha256(gzip.decompress(files['train-images-idx3-ubyte.gz'])).hexdigest()}; expected md5 {published['md5']} or sha256 of its content {published['sha256_uncompressed']})"
        in str(error.value)
    )


def shared_mnist_label_counts():
    """{split: per-digit counts} as the shared folder's README states them."""
    counts = {}
    for line in (SHARED_MNIST / "README.md").read_text().splitlines():
        for split, word in (("train", "- training:"), ("test", "- test:")):
            if line.startswith(word):
                counts[split] = [int(n) for n in line.removeprefix(word).split()]
    return counts


@needs_shared_mnist
def test_recompressed_mnist_passes_by_the_sha256_of_its_content():
    checksums = DATASETS["mnist"].checksums
    for name in DATASETS["mnist"].files:
        assert mismatch(SHARED_MNIST / name, checksums[name]) is None, name


@needs_shared_mnist
def test_mnist_builds_from_the_shared_folder_through_the_mirror_path(tmp_path):
    """Issue 34: the catalog's digests, the folder as a data.mirrors entry, the .npz the
    dataset rule writes: 60,000 + 10,000 images of 28 x 28, the README's label counts."""
    path = tmp_path / "results/data/mnist.npz"
    sources = {**data_settings(tmp_path, [tmp_path / "nowhere", SHARED_MNIST]), "urls": []}
    write_image_dataset("mnist", {}, sources, path)
    arrays = read_dataset(path, "mnist")
    assert arrays.image_shape == (1, 28, 28)
    assert {s: arrays.x[s].shape for s in arrays.splits} == {
        "train": (60_000, 784),
        "test": (10_000, 784),
    }
    counts = shared_mnist_label_counts()
    assert len(counts["train"]) == len(counts["test"]) == 10
    for split in ("train", "test"):
        assert np.bincount(arrays.y[split], minlength=10).tolist() == counts[split]


@needs_shared_mnist
def test_a_recompressed_mnist_file_with_other_content_names_both_digests(tmp_path):
    """Issue 34: a re-compressed copy whose content is not MNIST's: one line naming the
    file, the expected and the found content digest; no .npz (nor a temporary) written."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for name in DATASETS["mnist"].files:
        (mirror / name).symlink_to(SHARED_MNIST / name)
    name = "t10k-labels-idx1-ubyte.gz"
    content = bytearray(gzip.decompress((SHARED_MNIST / name).read_bytes()))
    content[-1] = (content[-1] + 1) % 10  # the last test label, another digit
    (mirror / name).unlink()
    (mirror / name).write_bytes(gzip.compress(bytes(content), compresslevel=9, mtime=0))
    path = tmp_path / "results/data/mnist.npz"
    sources = {**data_settings(tmp_path, [mirror]), "urls": []}
    with pytest.raises(ScaleinvError) as error:
        write_image_dataset("mnist", {}, sources, path)
    message = str(error.value)
    expected = DATASETS["mnist"].checksums[name]["sha256_uncompressed"]
    found = hashlib.sha256(bytes(content)).hexdigest()
    assert "\n" not in message
    assert (
        f"{mirror}: {name} fails its checksum (md5 {md5((mirror / name).read_bytes())}, "
        f"sha256 of its content {found}; expected md5 {DATASETS['mnist'].checksums[name]['md5']} "
        f"or sha256 of its content {expected})"
    ) in message
    assert not path.parent.exists() or not any(path.parent.iterdir())


def test_download_from_loopback_server(tmp_path, idx, http_root):
    files, arrays, spec = idx
    served, url = http_root
    write(served, files)
    spec = {**spec, "urls": [url + "missing/", url]}
    built = build_dataset(
        "mnist", spec, data_settings(tmp_path, [tmp_path / "empty"], download=True)
    )
    assert_arrays(built, *arrays)
    # The verified download is reused: a second build works with the server emptied.
    for name in files:
        (served / name).unlink()
    assert_arrays(build_dataset("mnist", spec, data_settings(tmp_path, download=True)), *arrays)


def test_corrupt_download_is_rejected_and_refetched(tmp_path, idx, http_root):
    files, arrays, spec = idx
    served, url = http_root
    write(served, {**files, "train-images-idx3-ubyte.gz": b"truncated"})
    spec = {**spec, "urls": [url]}
    with pytest.raises(
        ScaleinvError, match=rf"{url}: train-images-idx3-ubyte.gz fails its checksum"
    ):
        build_dataset("mnist", spec, data_settings(tmp_path, download=True))
    write(served, files)  # the server is repaired: the bad cached copy must not stick
    assert_arrays(build_dataset("mnist", spec, data_settings(tmp_path, download=True)), *arrays)


def test_unreachable_url_is_reported(tmp_path, idx, http_root):
    _, _, spec = idx
    _, url = http_root
    with pytest.raises(ScaleinvError, match=r"HTTP Error 404"):
        build_dataset("mnist", {**spec, "urls": [url]}, data_settings(tmp_path, download=True))


def test_emnist_lower_keeps_lowercase_remaps_and_subsamples(tmp_path):
    blob, (xtr, ytr, xte, yte) = emnist_zip(np.random.default_rng(1))
    write(tmp_path / "mirror", {"gzip.zip": blob})
    spec = {"checksums": {"gzip.zip": {"md5": md5(blob)}}, "n_train": 20, "seed": 3}
    built = build_dataset("emnist_lower", spec, data_settings(tmp_path, [tmp_path / "mirror"]))
    lower_train, lower_test = ytr >= 36, yte >= 36
    keep = np.sort(np.random.default_rng(3).choice(lower_train.sum(), 20, replace=False))
    assert_arrays(
        built,
        xtr[lower_train][keep],
        ytr[lower_train][keep] - 36,
        xte[lower_test],
        yte[lower_test] - 36,
    )
    assert built["y_train"].max() <= 25


def test_emnist_lower_rejects_a_subsample_larger_than_the_data(tmp_path):
    blob, _ = emnist_zip(np.random.default_rng(1))
    write(tmp_path / "mirror", {"gzip.zip": blob})
    spec = {"checksums": {"gzip.zip": {"md5": md5(blob)}}, "n_train": 10_000, "seed": 0}
    with pytest.raises(ScaleinvError, match=r"datasets.emnist_lower.n_train must be <= \d+"):
        build_dataset("emnist_lower", spec, data_settings(tmp_path, [tmp_path / "mirror"]))


def test_cifar10_is_chw_flattened(tmp_path):
    blob, checksums, data = cifar_archive(np.random.default_rng(2))
    write(tmp_path / "mirror", {"cifar-10-python.tar.gz": blob})
    spec = {"checksums": {"cifar-10-python.tar.gz": {"md5": md5(blob)}, **checksums}}
    built = build_dataset("cifar10", spec, data_settings(tmp_path, [tmp_path / "mirror"]))
    xtr = np.vstack([data[name][0] for name in CIFAR_TRAIN_BATCHES])
    ytr = np.concatenate([data[name][1] for name in CIFAR_TRAIN_BATCHES])
    assert_arrays(built, xtr, ytr, *data[CIFAR_TEST_BATCHES[0]])
    assert built["x_train"].shape == (50, 3072)


def test_cifar10_member_failing_its_checksum_is_never_unpickled(tmp_path):
    payload = tmp_path / "unpickled"
    blob, checksums, _ = cifar_archive(np.random.default_rng(2), tamper=("data_batch_3", payload))
    write(tmp_path / "mirror", {"cifar-10-python.tar.gz": blob})
    spec = {"checksums": {"cifar-10-python.tar.gz": {"md5": md5(blob)}, **checksums}}
    with pytest.raises(
        ScaleinvError, match="cifar10: a batch file inside cifar-10-python.tar.gz fails its MD5"
    ):
        build_dataset("cifar10", spec, data_settings(tmp_path, [tmp_path / "mirror"]))
    assert not payload.exists()


def test_digits_split_is_deterministic_and_scaled():
    built = build_dataset(
        "digits",
        {"test_fraction": 0.2},
        {"mirrors": [], "cache": "results/downloads", "download": False},
    )
    assert built["x_train"].shape == (1438, 64) and built["x_test"].shape == (359, 64)
    assert built["x_train"].max() == 255 and built["x_train"].min() == 0
    np.testing.assert_array_equal(built["y_train"][:10], np.arange(10))


def test_the_catalog_declares_torchvisions_official_sources():
    """The catalog's URLs and digests are the ones torchvision's dataset classes pin."""
    datasets = {name: spec.configured({}) for name, spec in DATASETS.items()}
    for name, tv_class in (("mnist", tvd.MNIST), ("fashion_mnist", tvd.FashionMNIST)):
        assert datasets[name]["urls"] == tv_class.mirrors
        assert {f: d["md5"] for f, d in datasets[name]["checksums"].items()} == dict(
            tv_class.resources
        )
    assert datasets["emnist_lower"]["urls"][0] + "gzip.zip" == tvd.EMNIST.url
    assert datasets["emnist_lower"]["checksums"]["gzip.zip"]["md5"] == tvd.EMNIST.md5
    cifar = datasets["cifar10"]
    assert cifar["urls"][0] + tvd.CIFAR10.filename == tvd.CIFAR10.url
    pinned = dict(tvd.CIFAR10.train_list + tvd.CIFAR10.test_list)
    pinned[tvd.CIFAR10.meta["filename"]] = tvd.CIFAR10.meta["md5"]
    pinned[tvd.CIFAR10.filename] = tvd.CIFAR10.tgz_md5
    assert {f: d["md5"] for f, d in cifar["checksums"].items()} == pinned
    assert set(pinned) == {
        "cifar-10-python.tar.gz",
        CIFAR_META,
        *CIFAR_TRAIN_BATCHES,
        *CIFAR_TEST_BATCHES,
    }


def test_the_reader_scales_images_not_spins_and_knows_the_image_shape(tmp_path):
    save_npz(
        tmp_path / "digits.npz",
        {"x_train": np.array([[0, 255, 51]], np.uint8), "y_train": np.array([4], np.uint8)},
    )
    digits = read_dataset(tmp_path / "digits.npz", "digits")
    assert digits.x["train"].tolist() == [[0.0, 1.0, pytest.approx(0.2)]]
    assert digits.x["train"].dtype == np.float32 and digits.y["train"].dtype == np.int64
    assert (digits.image_shape, digits.n_classes, digits.splits) == ((1, 8, 8), 5, ["train"])
    save_npz(tmp_path / "ising.npz", {"x_train": np.array([[0, 1, 1]], np.uint8)})
    ising = read_dataset(tmp_path / "ising.npz", "ising_L10_T2.26")
    assert ising.x["train"].tolist() == [[0.0, 1.0, 1.0]] and ising.y["train"] is None
    assert (ising.image_shape, ising.n_classes) == (None, 0)
    (tmp_path / "broken.npz").write_bytes(b"PK not a zip")
    with pytest.raises(ScaleinvError, match="broken.npz is not a readable dataset file"):
        read_dataset(tmp_path / "broken.npz", "digits")


def test_a_truncated_dataset_file_is_a_clear_error(tmp_path):
    save_npz(tmp_path / "digits.npz", {"x_train": np.zeros((500, 64), np.uint8)})
    blob = (tmp_path / "digits.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(blob[: len(blob) // 2])
    with pytest.raises(
        ScaleinvError, match="cut.npz is not a readable dataset file .*; delete it and rerun"
    ):
        read_dataset(tmp_path / "cut.npz", "digits")


def test_every_catalog_entry_names_a_loader_and_a_training_size():
    for spec in DATASETS.values():
        module, function = spec.loader.split(":")
        assert callable(getattr(import_module(module), function)), spec.name
        assert len(spec.shape) == 3 and spec.classes >= 2 and spec.family == IMAGE
    entries = {"n_train": 30_000, "test_fraction": 0.2}
    sizes = {name: spec.train_size(entries) for name, spec in DATASETS.items()}
    assert sizes == {
        "mnist": 60_000,
        "fashion_mnist": 60_000,
        "emnist_lower": 30_000,
        "cifar10": 50_000,
        "digits": 1438,  # as built: test_digits_split_is_deterministic_and_scaled
    }
    assert DATASETS["cifar10"].checksummed_files == (
        CIFAR_ARCHIVE,
        *CIFAR_TRAIN_BATCHES,
        *CIFAR_TEST_BATCHES,
        CIFAR_META,
    )
    assert (family("mnist"), family("digits"), family("ising")) == (IMAGE, IMAGE, ISING)


def test_dataset_names_are_written_only_in_the_catalog():
    """Adding a dataset touches its catalog entry (and a loader for a new format), nothing
    else in the package or the rules."""
    names = "|".join(f'"{name}"' for name in DATASETS)
    found = subprocess.run(
        ["grep", "-rnE", names, "src", "workflow/rules"], cwd=REPO, capture_output=True, text=True
    ).stdout.splitlines()
    assert found and all(line.startswith("src/scaleinv/datasets/catalog.py:") for line in found)


def test_a_label_beyond_the_datasets_classes_is_refused(tmp_path):
    rng = np.random.default_rng(0)
    files, (xtr, ytr, xte, yte) = idx_files(rng)
    yte = yte.copy()
    yte[3] = 10  # MNIST has 10 classes, 0-9
    files["t10k-labels-idx1-ubyte.gz"] = gz(idx_bytes(yte))
    write(tmp_path / "mirror", files)
    spec = {"checksums": {name: {"md5": md5(blob)} for name, blob in files.items()}}
    with pytest.raises(
        ScaleinvError, match="dataset mnist: the test split has label 10, beyond its 10 classes"
    ):
        build_dataset("mnist", spec, data_settings(tmp_path, [tmp_path / "mirror"]))


def test_the_offline_hint_is_the_catalogs():
    with pytest.raises(ScaleinvError) as error:
        locate(
            "fashion_mnist", IDX_FILES, {n: {"md5": "0"} for n in IDX_FILES}, [], [], "/none", False
        )
    assert "data.mirrors (Debian: apt-get install dataset-fashion-mnist), or allow" in str(
        error.value
    )
    with pytest.raises(ScaleinvError) as error:
        locate("mnist", IDX_FILES, {n: {"md5": "0"} for n in IDX_FILES}, [], [], "/none", False)
    assert "Debian" not in str(error.value)


def test_deduplicated_keeps_the_first_of_each_distinct_input_in_order():
    x = np.array([[1, 0], [0, 1], [1, 0], [1, 1], [0, 1]], np.float32)
    data = Dataset("ising_L2_T1.53", {"train": x, "test": x[:2]}, {"train": None, "test": None})
    unique = data.deduplicated()
    np.testing.assert_array_equal(unique.x["train"], [[1, 0], [0, 1], [1, 1]])
    assert unique.y["train"] is None and len(unique.x["test"]) == 2
    labelled = Dataset("digits", {"train": x}, {"train": np.arange(5)}).deduplicated()
    assert labelled.y["train"].tolist() == [0, 1, 3]
