"""Information measures (paper Sec. III) against hand-computed cases."""

import math

import numpy as np
import polars as pl
import pytest

from scaleinv.analysis.degeneracy import degeneracy
from scaleinv.analysis.information import information_table, power_law_curve, resolution_relevance
from scaleinv.codes import Layer, scan_codes, write_codes


def test_information_matches_hand_computation(codes_file):
    codes = scan_codes([("toy", 0, 3, codes_file)])
    info = information_table(degeneracy(codes), codes)
    train = info.filter(pl.col("split") == "train").row(0, named=True)
    p_code = np.array([3, 2, 1]) / 6
    h_z = -np.sum(p_code * np.log(p_code))
    assert train["M"] == 6 and train["distinct"] == 3
    assert train["H_Z"] == pytest.approx(h_z, abs=1e-12)
    # Each size class holds k m(k) = k inputs: H(K) equals H(Z) here.
    assert train["H_K"] == pytest.approx(h_z, abs=1e-12)
    # Labels 0,0,0 | 1,2 | 1: H(Y) from (3,2,1)/6; H(Y,Z) from cells (3,1,1,1)/6.
    h_y = h_z
    cells = np.array([3, 1, 1, 1]) / 6
    assert train["I_ZY"] == pytest.approx(h_y + h_z + np.sum(cells * np.log(cells)), abs=1e-12)
    test = info.filter(pl.col("split") == "test").row(0, named=True)
    assert test["H_Z"] == 0 and test["H_K"] == 0 and test["I_ZY"] is None


def test_information_is_bitwise_the_same_whatever_the_row_order(tmp_path):
    """Float sums over group_by output depend on its (unfixed) order unless sorted first."""
    rng = np.random.default_rng(0)
    bits = rng.integers(0, 2, (3000, 9), dtype=np.uint8)
    labels = rng.integers(0, 10, 3000)
    tables = []
    for name, order in (("a", np.arange(3000)), ("b", rng.permutation(3000))):
        layer = Layer("train", "z1", bits[order], labels[order], "threshold", 0.5)
        write_codes([layer], {}, tmp_path / f"{name}.parquet")
        codes = scan_codes([("toy", 0, 3, tmp_path / f"{name}.parquet")])
        tables.append(information_table(degeneracy(codes), codes))
    assert tables[0].equals(tables[1])
    assert tables[0]["I_ZY"][0] > 0


def test_all_distinct_codes_have_zero_relevance_and_full_resolution():
    frame = pl.DataFrame(
        {"experiment": ["e"], "seed": [0], "epoch": [0], "layer": ["z1"], "split": ["train"]}
    ).with_columns(k=pl.lit(1, pl.UInt32), m=pl.lit(100, pl.UInt32))
    row = resolution_relevance(frame).row(0, named=True)
    assert row["H_Z"] == pytest.approx(math.log(100)) and row["H_K"] == 0


def test_power_law_curve_endpoints():
    curve = power_law_curve(1000, [50.0, 0.0])
    # beta -> infinity: every code a singleton, (log M, 0).
    assert curve[0] == pytest.approx([math.log(1000), 0], abs=1e-9)
    # beta = 0: k m(k) constant up to k_max with m(k_max) >= 1, i.e. k_max = floor(sqrt(M)).
    k_max = math.isqrt(1000)
    assert curve[1][1] == pytest.approx(math.log(k_max))


def _information_of(tmp_path, codes, labels):
    bits = ((codes[:, None] >> np.arange(15, -1, -1)) & 1).astype(np.uint8)
    write_codes([Layer("train", "z1", bits, labels, "threshold", 0.5)], {}, tmp_path / "c.parquet")
    scanned = scan_codes([("toy", 0, 1, tmp_path / "c.parquet")])
    return information_table(degeneracy(scanned), scanned, seed=0).row(0, named=True)


def test_bias_aware_information_on_distributions_with_known_mutual_information(tmp_path):
    rng = np.random.default_rng(0)
    # Independent: I = 0, but 2000 codes of 3000 samples give the plug-in estimate most of
    # H(Y); the shuffled baseline is as large. Miller-Madow subtracts only its first-order
    # term, (K_YZ - K_Y - K_Z + 1) / 2M, far too little so deep in the undersampled regime.
    codes, labels = rng.integers(0, 2000, 3000), rng.integers(0, 10, 3000)
    row = _information_of(tmp_path, codes, labels)
    assert row["I_ZY"] > 1.0
    assert row["I_ZY_shuffled"] == pytest.approx(row["I_ZY"], abs=0.1)
    k_z, k_yz = len(np.unique(codes)), len(np.unique(codes * 10 + labels))
    assert row["I_ZY_mm"] == pytest.approx(row["I_ZY"] - (k_yz - 10 - k_z + 1) / 6000)
    assert 0.5 < row["I_ZY_mm"] < row["I_ZY"]
    # Labels a function of 4 equiprobable codes: I = log 4, which every estimate finds,
    # while the shuffled baseline is about (K_Z - 1)(K_Y - 1) / 2M = 0.0005.
    codes = rng.integers(0, 4, 10_000)
    row = _information_of(tmp_path, codes, codes % 4)
    assert row["I_ZY"] == pytest.approx(math.log(4), abs=0.001)
    assert row["I_ZY_mm"] == pytest.approx(math.log(4), abs=0.001)
    assert row["I_ZY_shuffled"] < 0.003
