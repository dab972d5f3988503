"""Nulls matched in M, distinct count and H(Z) at once (issue 33): the two-knob search
reaches synthetic targets over several seeds, each family (random projections, random bits,
the untrained network) is byte-reproducible per seed and draw, extra draws are not fitted,
and the relevance table pairs seeds and recovers known answers."""

import numpy as np
import polars as pl
import pytest

from conftest import tiny_experiments
from scaleinv.analysis.fits import fits_table
from scaleinv.analysis.relevance import SCHEMA, paired, relevance_table
from scaleinv.codes import Layer, read_layer, read_metadata, write_codes
from scaleinv.codes.matching import (
    ENTROPY_TOLERANCE,
    Target,
    base_layer,
    distinct_entropy,
    draw_name,
    matched_cut,
    within_tolerance,
)
from scaleinv.codes.random_bits import random_bit_layers
from scaleinv.codes.random_projection import projection_layers
from scaleinv.stats.layer import FitSettings


def zipf_target(seed, n, symbols, exponent):
    """(distinct, H(Z)) of n draws from a Zipf law over `symbols` codes: a skewed target
    like a trained layer's (few large clusters, many singletons)."""
    p = np.arange(1, symbols + 1, dtype=float) ** -exponent
    draws = np.random.default_rng(seed).choice(symbols, size=n, p=p / p.sum())
    _, counts = np.unique(draws, return_counts=True)
    q = counts / n
    return len(counts), float(-(q * np.log(q)).sum())


def features(kind, seed, n):
    rng = np.random.default_rng([seed, 7])
    if kind == "uniform":  # the random-bit family's candidate bits
        return rng.random((n, 64), np.float32)
    x = rng.normal(size=(n, 50)).astype(np.float32)  # random projections of Gaussian inputs
    return x @ rng.choice([-1.0, 1.0], size=(50, 64)).astype(np.float32)


@pytest.mark.parametrize("kind", ["uniform", "projection"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_two_knob_search_reaches_distinct_count_and_entropy_together(kind, seed):
    n = 20_000
    values = features(kind, seed, n)
    for symbols, exponent in ((3_000, 1.1), (50_000, 0.9)):  # a coarse and a fine layer
        distinct, entropy = zipf_target(seed, n, symbols, exponent)
        cut = matched_cut(values, distinct, entropy)
        assert within_tolerance(cut.distinct, distinct), (distinct, cut)
        assert abs(cut.H_Z - entropy) <= ENTROPY_TOLERANCE, (entropy, cut)
        assert (cut.distinct, cut.H_Z) == distinct_entropy(cut.apply(values))


def test_one_knob_misses_what_two_reach():
    """At a skewed target, the one-threshold projection of the target's own width matched
    in distinct count lands far from its H(Z): the reason for `match: both`."""
    n = 20_000
    x = {"train": np.random.default_rng(0).normal(size=(n, 50)).astype(np.float32)}
    distinct, entropy = zipf_target(0, n, 3_000, 1.1)
    target = Target("z1", 35, float(distinct), n, distinct, entropy)
    one, _ = projection_layers(x, {"train": None}, [target], "distinct", 0)
    two, records = projection_layers(x, {"train": None}, [target], "both", 0)
    assert abs(distinct_entropy(one[0].bits)[1] - entropy) > 0.3
    assert abs(distinct_entropy(two[0].bits)[1] - entropy) <= ENTROPY_TOLERANCE
    assert records["z1"]["matched"] and records["z1"]["match"] == "both"


def test_a_target_out_of_reach_is_flagged_with_how_close_it_got():
    n = 5_000
    x = {"train": np.random.default_rng(0).normal(size=(n, 30)).astype(np.float32)}
    target = Target("z1", 8, 4_900.0, n, 4_900, float(np.log(4_900)))  # near-unique codes
    values = features("uniform", 0, n)[:, :4]  # four bits: 16 codes at most
    cut = matched_cut(values, target.distinct, target.H_Z)
    assert cut.distinct <= 16
    _, records = projection_layers(x, {"train": None}, [target], "both", 0)
    assert set(records["z1"]) >= {"achieved", "achieved_H_Z", "target", "target_H_Z", "bits"}


def test_draw_names_and_their_layer():
    assert draw_name("z2", 0) == "z2" and draw_name("z2", 3) == "z2.draw3"
    assert base_layer("z2.draw3") == "z2" == base_layer("z2")


@pytest.mark.parametrize("family", ["projection", "random_bits"])
def test_each_family_is_seeded_per_seed_layer_and_draw(family):
    n = 3_000
    x = {split: np.random.default_rng(0).normal(size=(n, 20)).astype(np.float32)
         for split in ("train", "test")}  # fmt: skip
    targets = [Target("z1", 10, 400.0, n, 400, 5.0), Target("z2", 10, 400.0, n, 400, 5.0)]
    labels = {"train": None, "test": None}

    def make(seed):
        if family == "projection":
            return projection_layers(x, labels, targets, "both", seed, draws=3)
        return random_bit_layers({s: n for s in x}, labels, targets, "both", seed, draws=3)

    first, records = make(5)
    again, _ = make(5)
    other, _ = make(6)
    assert all(np.array_equal(a.bits, b.bits) for a, b in zip(first, again, strict=True))
    assert [(a.split, a.name) for a in first] == [
        ("train", "z1"), ("test", "z1"), ("train", "z1.draw1"), ("train", "z1.draw2"),
        ("train", "z2"), ("test", "z2"), ("train", "z2.draw1"), ("train", "z2.draw2"),
    ]  # fmt: skip
    train = [layer.bits for layer in first if layer.split == "train"]
    assert not any(np.array_equal(train[0], other) for other in train[1:])  # draws differ
    assert not np.array_equal(first[0].bits, other[0].bits)  # seeds differ
    assert all(record["matched"] for record in records.values())


def test_extra_draws_are_not_fitted():
    rows = [("null", 0, 0, layer, "train", k, m) for layer in ("z1", "z1.draw1")
            for k, m in ((1, 50), (2, 20), (3, 8), (5, 3), (9, 1))]  # fmt: skip
    schema = {"experiment": pl.String, "seed": pl.Int32, "epoch": pl.Int32, "layer": pl.String,
              "split": pl.String, "k": pl.Int64, "m": pl.Int64}  # fmt: skip
    settings = FitSettings(bootstrap=10, occupancy_bootstrap=5, estimator_bootstrap=10,
                           min_distinct=5, min_tail=3, seed=0, xmin=None, xmax=None)  # fmt: skip
    table = fits_table(pl.DataFrame(rows, schema=schema, orient="row"), settings)
    assert table["layer"].to_list() == ["z1"]


def information(rows):
    """Information rows (experiment, seed, layer, distinct, H_Z, H_K), epoch 0, train."""
    return pl.DataFrame(
        [{"experiment": e, "seed": s, "epoch": 0, "layer": layer, "split": "train",
          "M": 1000, "distinct": d, "H_Z": hz, "H_K": hk} for e, s, layer, d, hz, hk in rows]
    )  # fmt: skip


NULLS = {"net": {"null": ["random_bits", "both"]}}


def test_the_relevance_table_of_a_null_equal_to_the_network_is_zero():
    rng = np.random.default_rng(0)
    rows = []
    for seed in range(5):
        h_k = 3 + rng.normal(scale=0.1)
        rows.append(("net", seed, "z1", 300, 5.0, h_k))
        rows += [("null", seed, draw_name("z1", d), 300, 5.0, h_k) for d in range(3)]
    table = relevance_table(information(rows), NULLS)
    assert table.columns == list(SCHEMA) and table.height == 1
    row = table.row(0, named=True)
    assert abs(row["delta_H_K"]) < 1e-12 and row["delta_low"] <= 0 <= row["delta_high"]
    assert row["seeds"] == 5 and row["draws"] == 3 and row["matched"] == 1.0
    assert row["family"] == "random_bits" and row["match"] == "both"


def test_the_relevance_table_recovers_a_constructed_shift():
    """Network = null + 0.1 nats, seed by seed, with draws scattered around each seed's
    null: the paired delta is 0.1 within its interval, and p is small."""
    rng = np.random.default_rng(1)
    rows = []
    for seed in range(6):
        base = 3 + rng.normal(scale=0.3)  # seeds differ a lot; pairing removes it
        noise = rng.normal(scale=0.02, size=5)
        rows.append(("net", seed, "z1", 300, 5.0, base + noise.mean() + 0.1))
        rows += [("null", seed, draw_name("z1", d), 305, 5.001, base + e)
                 for d, e in enumerate(noise)]  # fmt: skip
    row = relevance_table(information(rows), NULLS).row(0, named=True)
    assert abs(row["delta_H_K"] - 0.1) < 1e-9
    assert row["delta_low"] < 0.1 < row["delta_high"] and row["p_paired"] < 1e-6
    assert row["distinct_null"] == 305 and abs(row["H_Z_null"] - 5.001) < 1e-12


def test_one_seed_has_no_interval_or_test():
    rows = [("net", 0, "z1", 300, 5.0, 3.1), ("null", 0, "z1", 300, 5.0, 3.0)]
    row = relevance_table(information(rows), NULLS).row(0, named=True)
    assert abs(row["delta_H_K"] - 0.1) < 1e-12
    assert row["delta_low"] is None and row["p_paired"] is None and "1 seed" in row["note"]
    assert paired([0.2, 0.2])[1:] == (0.2, 0.2, 0.0)


@pytest.mark.slow
def test_the_untrained_null_is_the_targets_epoch_0_and_byte_reproducible(tmp_path, digits_npz):
    import torch

    from scaleinv.datasets.read import read_dataset
    from scaleinv.learn.training import train_experiment
    from scaleinv.learn.untrained_codes import initial_model, write_untrained_codes

    def edit(config):
        config["experiments"]["mlp_untrained"] = {"kind": "untrained_network", "dataset": "digits",
                                                  "target": "mlp", "match": "both", "draws": 2}  # fmt: skip

    experiments = tiny_experiments(edit)
    target = experiments["mlp"]
    null = experiments["mlp_untrained"]
    snapshots = [tmp_path / "e0.pt", tmp_path / "e3.pt"]
    train_experiment(target, [0], 1, digits_npz, snapshots, [tmp_path / "m.parquet"])
    data = read_dataset(digits_npz, "digits")
    state = torch.load(snapshots[0], weights_only=True)
    mine = initial_model(target, data, 0, 0).state_dict()
    assert all(torch.equal(state[k], mine[k]) for k in state)  # draw 0 = epoch 0
    # a target layer: the digits' own pixels at a few thresholds
    layers = [Layer(split, "z1", (x[:, :20] > 8).astype(np.uint8), None, "threshold", 0.5)
              for split, x in data.x.items()]  # fmt: skip
    write_codes(layers, {}, tmp_path / "target.parquet")
    out, again = tmp_path / "null.parquet", tmp_path / "again.parquet"
    for path in (out, again):
        write_untrained_codes(null, target, 0, 1, digits_npz, tmp_path / "target.parquet", path)
    assert out.read_bytes() == again.read_bytes()
    meta = read_metadata(out)
    assert set(meta["widths"]) == {"x", "z1", "z1.draw1"}
    assert meta["matched"]["z1"]["match"] == "both"
    _, bits = read_layer(out, "z1.draw1", "train")
    assert len(bits) == len(data.x["train"])
