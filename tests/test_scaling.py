"""Subsampled scaling (`scaleinv.analysis.scaling`) against known answers: subsamples that
never repeat an input, the Sibuya law's fit on its own samples, and over many seeds the
occupancy theory's predictions for scale-free codes (Heaps' h = b, the Sibuya law at small
k) beside k-means-like boxes, which saturate. The occupancy pair test of (h, beta) has its
own known answers, in tests/test_scaling_test.py."""

import dataclasses
import time

import numpy as np
import polars as pl
import pytest

from occupancy_codes import code_ids, zipf_code_ids
from scaleinv.analysis import scaling
from scaleinv.errors import ScaleinvError
from scaleinv.stats import occupancy
from scaleinv.stats.layer import FitSettings

FIT = FitSettings(  # occupancy p and tail indices are not asserted here: cheapest settings
    bootstrap=50,
    occupancy_bootstrap=1,
    estimator_bootstrap=10,
)
SETTINGS = scaling.ScalingSettings(
    sizes=(5_000, 20_000, 60_000), replicates=1, splits=("train",), sibuya_max_k=10, seed=0
)


def summaries(make_ids, seeds, settings=SETTINGS, fit=FIT):
    """(subsample table, summary table) of one group per seed, its codes from make_ids(rng)."""
    ids = {("code", seed, 0, "z", "train"): make_ids(np.random.default_rng(seed)) for seed in seeds}
    table, _ = scaling.scaling_table(ids, settings, fit)
    return table, scaling.summary_table(table)


def test_a_subsample_never_contains_an_input_twice():
    for seed in range(200):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(1, 5_000))
        size = int(rng.integers(1, n + 1))
        drawn = scaling.subsample(n, size, rng)
        assert len(np.unique(drawn)) == size == len(drawn)
        assert drawn.min() >= 0 and drawn.max() < n


def test_a_subsample_larger_than_the_inputs_is_refused():
    with pytest.raises(ScaleinvError, match="cannot subsample 11 inputs out of 10"):
        scaling.subsample(10, 11, np.random.default_rng(0))


def test_the_plan_ends_sizes_above_the_inputs_at_every_input_taken_once():
    assert scaling.plan(60_000, (5_000, 60_000, 100_000), 3) == [
        (5_000, 0), (5_000, 1), (5_000, 2), (60_000, 0)
    ]  # fmt: skip
    # the test split's 10,000 inputs under the default sizes: two points, not one
    assert scaling.plan(10_000, (5_000, 20_000, 60_000), 2) == [(5_000, 0), (5_000, 1), (10_000, 0)]


def test_subsamples_hold_m_inputs_the_same_in_every_layer_and_differ_by_replicate():
    # Each code id once: every subsample's m(k) is M codes of size 1, so the distinct
    # count shows M inputs, none twice; the subsample itself is the same for every layer.
    ids = np.arange(3_000)
    settings = dataclasses.replace(SETTINGS, sizes=(1_000,), replicates=3)
    draws = [
        scaling.subsample(3_000, 1_000, scaling.subsample_stream(0, (seed, 5, "train"), 1_000, r))
        for seed in (0, 0, 1)
        for r in (0, 1)
    ]
    assert np.array_equal(draws[0], draws[2]) and not np.array_equal(draws[0], draws[1])
    assert not np.array_equal(draws[0], draws[4])
    fit = dataclasses.replace(FIT, bootstrap=5)
    rows, _ = scaling.subsample_rows(
        ("e", 0, 5, "z1", "train"), ids, settings, fit, "", 1, _Quiet()
    )
    assert [row["distinct"] for row in rows] == [1_000] * 3
    assert all(row["status"].startswith("degenerate") for row in rows)


class _Quiet:
    def step(self):
        pass


def test_sizes_above_the_inputs_end_at_every_input():
    table, _ = scaling.scaling_table({("e", 0, 0, "z", "train"): np.arange(100) % 7}, SETTINGS, FIT)
    assert table["M"].to_list() == [100] and table["distinct"].to_list() == [7]


def test_log_log_slope_and_the_median_p_crossing():
    m = np.array([1_000, 2_000, 4_000, 8_000])
    slope = scaling.log_log_slope(m, 3 * m**0.7)
    assert slope.value == pytest.approx(0.7) and slope.low == pytest.approx(0.7)
    assert np.isnan(scaling.log_log_slope([5, 5], [1, 2]).value)
    # p = 0.3 at 1,000, 0.0 at 4,000: 0.1 is two thirds of the way, in log M.
    assert scaling.crossing([1_000, 4_000], [0.3, 0.0]) == pytest.approx(1_000 * 4 ** (2 / 3))
    assert scaling.crossing([1_000, 4_000], [0.05, 0.0]) is None  # never above 0.1
    assert scaling.crossing([1_000, 4_000], [0.5, 0.4]) is None


def test_the_sibuya_fit_recovers_b_and_accepts_its_own_law():
    # Sibuya samples are the occupancy law at lambda_min = 0 (scaleinv.stats.occupancy).
    within, passes = 0, 0
    for seed in range(40):
        b = (0.3, 0.6, 0.85)[seed % 3]
        sizes = occupancy.sample_occupancy(b, 0.0, 5_000, np.random.default_rng(seed))
        k, m = np.unique(sizes, return_counts=True)
        fit = scaling.fit_sibuya(k, m, 10)
        within += abs(fit.param - b) <= 2 * fit.se
        passes += fit.p_value >= 0.1
    assert within >= 34  # 2 SE: 95 %
    assert passes >= 32  # the G-test's level: 90 %


def test_the_sibuya_fit_rejects_uniform_codes():
    sizes = np.random.default_rng(0).poisson(2.0, 20_000)
    k, m = np.unique(sizes[sizes > 0], return_counts=True)
    assert scaling.fit_sibuya(k, m, 10).p_value < 1e-6


@pytest.mark.slow
@pytest.mark.parametrize("b", [0.5, 0.75, 0.9])
def test_scale_free_codes_pass_at_every_m(b):
    """Done when (issue 26): occupancy codes of regularly varying frequencies, subsampled,
    pass at every M about as often as a power law should (0.9), give h within 0.1 of b and
    pass the Sibuya law. (beta - h decides nothing: the occupancy pair test's known answers
    are in tests/test_scaling_test.py.)"""
    seeds = range(10)
    table, summary = summaries(lambda rng: zipf_code_ids(b, 60_000, rng), seeds)
    rates = table.group_by("M").agg((pl.col("p_value") >= 0.1).mean()).sort("M")
    assert rates["p_value"].min() >= 0.7, rates  # Binomial(10, 0.9) <= 6: p = 0.013
    assert ((summary["heaps"] - b).abs() <= 0.1).all(), summary["heaps"]
    assert (summary["p_sibuya"] >= 0.1).sum() >= 8, summary["p_sibuya"]


@pytest.mark.slow
def test_dirichlet_boxes_saturate():
    """2,048 Dirichlet(1) boxes (k-means-like, fixed) give h < 0.2 at M >> 2,048."""
    weights = np.random.default_rng(2048).dirichlet(np.ones(2048))
    settings = dataclasses.replace(SETTINGS, sizes=(16_000, 32_000, 64_000))
    fit = dataclasses.replace(FIT, bootstrap=1)  # h needs no p-value
    _, summary = summaries(lambda rng: code_ids(weights, 64_000, rng), range(3), settings, fit)
    assert (summary["heaps"] < 0.2).all(), summary["heaps"]


def test_same_seed_same_bytes(tmp_path):
    ids = {("e", 0, 1, "z", "train"): zipf_code_ids(0.7, 3_000, np.random.default_rng(3))}
    settings = dataclasses.replace(SETTINGS, sizes=(1_000, 3_000), replicates=2)
    fit = dataclasses.replace(FIT, bootstrap=5, estimator_bootstrap=5)
    tables = [scaling.scaling_table(ids, settings, fit) for _ in range(2)]
    for index, (table, degeneracy) in enumerate(tables):
        table.write_parquet(tmp_path / f"t{index}.parquet")
        assert (degeneracy["k"].cast(pl.Int64) * degeneracy["m"]).sum() == 1_000 * 2 + 3_000
    assert (tmp_path / "t0.parquet").read_bytes() == (tmp_path / "t1.parquet").read_bytes()
    assert tables[0][0].height == 3 and tables[0][0]["evidence"].is_not_null().all()


def test_progress_is_logged_at_each_subsample_and_between(monkeypatch, caplog):
    monkeypatch.setattr(scaling, "PROGRESS_SECONDS", 0.02)
    caplog.set_level("INFO", logger="scaleinv.analysis.scaling")
    with scaling.Progress("mlp", 4) as progress:
        progress.step()
        time.sleep(0.1)  # a long fit: the heartbeat speaks meanwhile
    lines = [record.getMessage() for record in caplog.records]
    assert lines[0].startswith("mlp: 1/4 subsamples fitted (25 %")
    assert len(lines) >= 3 and all("1/4" in line for line in lines[1:])
