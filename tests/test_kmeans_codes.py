"""k-means codes on made-up data whose clusters are known: cluster ids as codes, their
width, test samples coded by the nearest centre, and the file's metadata."""

import numpy as np
import pytest

from scaleinv.atomic import save_npz
from scaleinv.codes import read_layer, read_metadata
from scaleinv.codes.kmeans import write_kmeans_codes
from scaleinv.plan.experiments import Experiment

CENTRES = np.array([[20, 20, 20, 20], [230, 230, 20, 20], [20, 20, 230, 230]])


def blobs(rng, per_blob):
    """(pixels, blob of each) of three well-separated blobs, shuffled."""
    blob = rng.permutation(np.repeat(np.arange(len(CENTRES)), per_blob))
    pixels = CENTRES[blob] + rng.integers(-10, 11, size=(len(blob), CENTRES.shape[1]))
    return pixels.astype(np.uint8), blob


@pytest.fixture
def made_up(tmp_path):
    rng = np.random.default_rng(0)
    (x_train, y_train), (x_test, y_test) = blobs(rng, 10), blobs(rng, 2)
    path = tmp_path / "digits.npz"
    save_npz(path, {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test})
    return path, y_train, y_test


def kmeans(clusters):
    settings = {"kind": "kmeans", "clusters": clusters, "n_init": 10, "max_iter": 100}
    return Experiment("km", "km", "digits", settings)


@pytest.mark.parametrize("seed", range(5))
def test_cluster_ids_are_the_blobs_and_test_samples_join_their_blob(tmp_path, made_up, seed):
    path, blob_train, blob_test = made_up
    write_kmeans_codes(kmeans(3), seed, path, tmp_path / "c.parquet")
    ids = {}
    for split, blob in (("train", blob_train), ("test", blob_test)):
        samples, bits = read_layer(tmp_path / "c.parquet", "z1", split)
        assert samples.tolist() == list(range(len(blob))) and bits.shape[1] == 2
        ids[split] = bits[:, 0] * 2 + bits[:, 1]  # MSB first
    id_of_blob = {b: set(ids["train"][blob_train == b]) for b in range(3)}
    assert all(len(found) == 1 for found in id_of_blob.values())  # each blob one cluster
    assert len(set.union(*id_of_blob.values())) == 3  # and no two blobs share one
    assert all(id_of_blob[b] == {i} for b, i in zip(blob_test, ids["test"], strict=True))


@pytest.mark.filterwarnings("ignore:algorithm='elkan' doesn't make sense")  # 1 cluster
@pytest.mark.parametrize("clusters, width", [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3)])
def test_code_width_is_the_bits_of_the_largest_id(tmp_path, made_up, clusters, width):
    path, _, _ = made_up
    write_kmeans_codes(kmeans(clusters), 0, path, tmp_path / "c.parquet")
    _, bits = read_layer(tmp_path / "c.parquet", "z1", "train")
    assert bits.shape == (30, width)
    values = bits @ (1 << np.arange(width - 1, -1, -1))
    assert set(values.tolist()) == set(range(clusters))  # every cluster is used


def test_metadata_and_input_layer(tmp_path, made_up):
    path, _, _ = made_up
    write_kmeans_codes(kmeans(3), 4, path, tmp_path / "c.parquet")
    meta = read_metadata(tmp_path / "c.parquet")
    assert meta == {
        "experiment": "km",
        "kind": "kmeans",
        "dataset": "digits",
        "seed": 4,
        "epoch": 0,
        "activation": "none",
        "code": "cluster id",
        "widths": {"x": 4, "z1": 2},
        "binarization": {
            "x": {"rule": "threshold", "threshold": 0.5},
            "z1": {"rule": "cluster_id", "threshold": None},
        },
    }
    _, x_bits = read_layer(tmp_path / "c.parquet", "x", "train")
    pixels = np.load(path)["x_train"]
    np.testing.assert_array_equal(x_bits, pixels > 127.5)
