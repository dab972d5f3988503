"""Null codes matched to a target layer (issue 26): the threshold search hits its target,
random projections of Gaussian inputs are near-uniform and never look scale-free, the
shuffled-input null changes a trained network's codes at the target's distinct count,
and matched k-means has K = the target's distinct codes."""

import numpy as np
import polars as pl
import pytest

from conftest import tiny_experiments
from scaleinv.analysis.fits import fits_table
from scaleinv.codes import Layer, read_layer, read_metadata, write_codes
from scaleinv.codes.kmeans import write_matched_kmeans_codes
from scaleinv.codes.matching import (
    Target,
    code_counts,
    matched_threshold,
    resolution,
    within_tolerance,
)
from scaleinv.codes.random_projection import projection_layers
from scaleinv.datasets.read import read_dataset
from scaleinv.learn.network_codes import write_network_codes
from scaleinv.learn.shuffled_codes import write_shuffled_codes
from scaleinv.learn.training import train_experiment
from scaleinv.stats.layer import FitSettings

SETTINGS = FitSettings(
    bootstrap=50, occupancy_bootstrap=20, estimator_bootstrap=50, min_distinct=5,
    min_tail=10, seed=0, xmin=None, xmax=None,
)  # fmt: skip


def classes(samples):
    """The ladder class of each sample of cluster sizes."""
    rows = []
    for seed, sizes in enumerate(samples):
        k, m = np.unique(sizes, return_counts=True)
        rows += [
            ("null", seed, 0, "z1", "train", int(a), int(b)) for a, b in zip(k, m, strict=True)
        ]
    schema = {"experiment": pl.String, "seed": pl.Int32, "epoch": pl.Int32, "layer": pl.String,
              "split": pl.String, "k": pl.Int64, "m": pl.Int64}  # fmt: skip
    return fits_table(pl.DataFrame(rows, schema=schema, orient="row"), SETTINGS)[
        "evidence"
    ].to_list()


def gaussian_projection(seed, width, wanted, n=20_000, features=100, match="distinct"):
    """One random-projection layer of n Gaussian inputs matched to `wanted`."""
    x = {"train": np.random.default_rng(seed).normal(size=(n, features)).astype(np.float32)}
    target = Target("z1", width, wanted, n)
    layers, records = projection_layers(x, {"train": None}, [target], match, seed)
    return layers[0].bits, records["z1"]


@pytest.mark.parametrize(
    "match,wanted", [("distinct", 40), ("distinct", 1500), ("entropy", 3.0), ("entropy", 6.5)]
)
def test_the_matched_threshold_reaches_its_target(match, wanted):
    values = np.random.default_rng(1).normal(size=(5_000, 16)).astype(np.float32)
    threshold, achieved = matched_threshold(values, wanted, match)
    assert within_tolerance(achieved, wanted)
    assert resolution(values > threshold, match) == achieved


def test_a_target_finer_than_any_cut_gets_the_finest_and_is_flagged():
    bits, record = gaussian_projection(0, 8, 10_000, n=5_000)  # 8 bits: 256 codes at most
    assert record["achieved"] <= 256 and not record["matched"]
    assert abs(bits.mean() - 0.5) < 0.05  # the finest cut: balanced bits


def test_projections_are_seeded_per_seed_and_layer():
    x = {"train": np.random.default_rng(0).normal(size=(500, 30)).astype(np.float32)}
    targets = [Target("z1", 12, 100, 500), Target("z2", 12, 100, 500)]
    first, _ = projection_layers(x, {"train": None}, targets, "distinct", 3)
    again, _ = projection_layers(x, {"train": None}, targets, "distinct", 3)
    other, _ = projection_layers(x, {"train": None}, targets, "distinct", 4)
    assert all(np.array_equal(a.bits, b.bits) for a, b in zip(first, again, strict=True))
    assert not np.array_equal(first[0].bits, first[1].bits)  # each layer its own directions
    assert not np.array_equal(first[0].bits, other[0].bits)


@pytest.mark.slow
def test_gaussian_inputs_give_near_uniform_codes_that_rate_none_or_unresolved():
    """A layer as wide as the paper's (30 bits) at the finest cut: ~2^30 equally likely
    codes for 20,000 inputs, so H(Z) within 1 % of ln M, and the ladder finds nothing to
    count (unresolved) or no power law (none), in every seed."""
    samples = []
    for seed in range(6):
        bits, _ = gaussian_projection(seed, 30, 20_000)
        counts = code_counts(bits)
        assert resolution(bits, "entropy") > 0.99 * np.log(len(bits))
        samples.append(counts)
    assert set(classes(samples)) <= {"none", "unresolved"}


@pytest.mark.slow
def test_matched_kmeans_has_as_many_clusters_as_the_target_has_codes(tmp_path, digits_npz):
    experiments = tiny_experiments(with_nulls)
    target, null = experiments["mlp"], experiments["mlp_kmeans"]
    data = read_dataset(digits_npz, "digits")
    n = {split: len(x) for split, x in data.x.items()}
    ids = np.arange(n["train"]) % 24  # a target layer z2 of exactly 24 distinct codes
    bits = ((ids[:, None] >> np.arange(10)) & 1).astype(np.uint8)
    layers = [Layer("train", "z2", bits, None, "threshold", 0.5),
              Layer("test", "z2", bits[: n["test"]], None, "threshold", 0.5)]  # fmt: skip
    write_codes(layers, {}, tmp_path / "target.parquet")
    out = tmp_path / "null.parquet"
    write_matched_kmeans_codes(null, target, 0, digits_npz, tmp_path / "target.parquet", out)
    meta = read_metadata(out)
    assert meta["matched"]["z2"] == {"match": "distinct", "target": 24, "achieved": 24,
                                     "matched": True}  # fmt: skip
    assert meta["target"] == "mlp" and set(meta["widths"]) == {"x", "z2"}
    _, null_bits = read_layer(out, "z2", "train")
    assert len(code_counts(null_bits)) == 24


def with_nulls(config):
    config["experiments"].update(
        mlp_projection={"kind": "random_projection", "dataset": "digits", "target": "mlp"},
        mlp_shuffled={"kind": "shuffled_inputs", "dataset": "digits", "target": "mlp"},
        mlp_kmeans={
            "kind": "kmeans_matched",
            "dataset": "digits",
            "target": "mlp",
            "target_layers": ["z2"],
        },  # fmt: skip
    )


@pytest.mark.slow
def test_shuffled_inputs_change_a_trained_networks_codes_at_its_distinct_count(
    tmp_path, digits_npz
):
    experiments = tiny_experiments(with_nulls)
    target, null = experiments["mlp"], experiments["mlp_shuffled"]
    snapshots = [tmp_path / "e0.pt", tmp_path / "e3.pt"]
    train_experiment(target, [0], 2, digits_npz, snapshots, [tmp_path / "m.parquet"])
    target_codes, null_codes = tmp_path / "target.parquet", tmp_path / "null.parquet"
    write_network_codes(target, 0, 3, 1, digits_npz, snapshots[1], target_codes)
    write_shuffled_codes(null, target, 0, 1, digits_npz, snapshots[1], target_codes, null_codes)
    meta = read_metadata(null_codes)
    assert meta["widths"] == {"x": 64, "z1": 20, "z2": 10} and meta["kind"] == "shuffled_inputs"
    for layer in ("z1", "z2"):
        _, mine = read_layer(null_codes, layer, "train")
        _, theirs = read_layer(target_codes, layer, "train")
        wanted, achieved = len(code_counts(theirs)), len(code_counts(mine))
        assert within_tolerance(achieved, wanted), (layer, wanted, achieved)
        assert meta["matched"][layer]["achieved"] == achieved
        assert np.mean(np.any(mine != theirs, axis=1)) > 0.5  # most inputs' codes changed
    _, x_null = read_layer(null_codes, "x", "train")
    _, x_target = read_layer(target_codes, "x", "train")
    np.testing.assert_array_equal(x_null.sum(axis=1), x_target.sum(axis=1))  # same ink
    assert not np.array_equal(x_null, x_target)
    write_shuffled_codes(null, target, 0, 1, digits_npz, snapshots[1], target_codes,
                         tmp_path / "again.parquet")  # fmt: skip
    assert (tmp_path / "again.parquet").read_bytes() == null_codes.read_bytes()
