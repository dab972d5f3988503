"""Information measures (paper Sec. III) against hand-computed cases."""

import math

import numpy as np
import polars as pl
import pytest
from scipy import special

from scaleinv.analysis.degeneracy import degeneracy
from scaleinv.analysis.information import information_table, resolution_relevance
from scaleinv.codes import Layer, scan_codes, write_codes
from scaleinv.stats.relevance import max_relevance


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
    # Sizes 3, 2, 1: every size once, on the diagonal, which is the frontier of M = 6 there
    # (m(k) ~ k^0: beta -1); one cluster of 2 is at the frontier's end, H(Z) = H(K) = 0.
    assert train["relevance_max"] == pytest.approx(h_z, abs=1e-12)
    assert train["beta_frontier"] == pytest.approx(-1.0)
    assert test["relevance_max"] == 0


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


def resolution_and_relevance(sizes, counts):
    """(M, H(Z), H(K)) of a sample with counts[i] codes of size sizes[i] (Eqs. 4, 5)."""
    sizes, counts = np.asarray(sizes, np.float64), np.asarray(counts, np.float64)
    M = float(np.sum(sizes * counts))
    q = sizes * counts / M
    return int(M), float(np.sum(q * np.log(M / sizes))), float(-np.sum(q * np.log(q)))


def test_the_relaxed_bound_holds_the_staircase_the_old_curve_put_above_its_maximum():
    M, h_z, h_k = resolution_and_relevance(np.arange(1, 347), np.ones(346))
    assert M == 60_031
    assert h_k / max_relevance(M, h_z) == pytest.approx(0.967, abs=1e-3)


@pytest.mark.parametrize("M", [1, 2, 60_000])
def test_the_bound_is_zero_at_both_ends_of_the_plane(M):
    """One cluster (H(Z) = 0) and all singletons (H(Z) = log M) have H(K) = 0."""
    assert max_relevance(M, [0.0, math.log(M)]) == pytest.approx([0.0, 0.0], abs=0)


def test_the_bound_is_attained_by_real_valued_power_laws_over_the_whole_range():
    """q_k ~ k^mu over k = 1..M for mu from -40 to 5000: the relaxation's maximiser, so the
    bound equals its H(K) wherever the integer cap log n_max does not bind."""
    M = 2000
    k = np.arange(1, M + 1, dtype=np.float64)
    mus = np.concatenate([np.linspace(-40, 5, 40), np.geomspace(5, 5000, 20)])
    h_z, h_k = [], []
    for mu in mus:
        q = np.exp(mu * np.log(k) - special.logsumexp(mu * np.log(k)))
        h_z.append(np.sum(q * np.log(M / k)))  # not log M - sum q log k: digits cancel
        h_k.append(-np.sum(q[q > 0] * np.log(q[q > 0])))
    assert min(h_z) < 0.01 and max(h_z) > math.log(M) - 1e-6  # the whole range
    expected = np.minimum(h_k, math.log(62))  # 62 * 63 / 2 = 1953 <= 2000 < 63 * 64 / 2
    assert max_relevance(M, np.array(h_z)) == pytest.approx(expected, abs=1e-9)


def random_sample(rng, M):
    """Cluster sizes summing to M from one of several laws, as (sizes, counts)."""
    law = rng.integers(4)
    draws = [
        lambda: rng.geometric(rng.uniform(0.01, 0.9)),
        lambda: rng.zipf(rng.uniform(1.5, 3.5)),
        lambda: rng.integers(1, rng.integers(2, M + 1)),
        lambda: int(rng.lognormal(rng.uniform(0, 4), rng.uniform(0.2, 2))) + 1,
    ][law]
    sizes, left = [], M
    while left > 0:
        sizes.append(min(draws(), left))
        left -= sizes[-1]
    return np.unique(sizes, return_counts=True)


def test_no_sample_exceeds_the_bound():
    """Random integer partitions of M over 400 seeds, of four kinds of size law, and exact
    (integer-rounded) power laws: H(K) <= bound(H(Z)) in every one."""
    samples = [random_sample(np.random.default_rng(seed), 3000) for seed in range(400)]
    k = np.arange(1, 3001)
    for beta in (0.2, 0.5, 1.0, 2.0, 4.0):
        m = np.floor(200 * k ** (-beta - 1.0))
        samples.append((k[m > 0], m[m > 0]))
    points = np.array([resolution_and_relevance(*sample) for sample in samples])
    for M in np.unique(points[:, 0]):
        chosen = points[points[:, 0] == M]
        assert np.all(chosen[:, 2] <= max_relevance(int(M), chosen[:, 1]) + 1e-9)


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
