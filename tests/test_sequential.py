"""Sequential Monte Carlo p-values: the stopping rule's replicate counts and resampling risk
on statistics with a known p, and its decisions against the fixed test on fitted samples."""

import time
from dataclasses import replace

import numpy as np
import polars as pl
import pytest

from heavy_tails import discrete_lognormal
from scaleinv.analysis.fits import fits_table
from scaleinv.stats import sequential
from scaleinv.stats.layer import FitSettings, fit_layer, group_seed
from scaleinv.stats.powerlaw_fit import SIGNIFICANCE, bootstrap_test, fit, sample_power_law
from scaleinv.stats.sequential import (
    ROUND,
    _boundaries_plain,
    boundary,
    monte_carlo_p,
    passing_count,
)
from scaleinv.tables import write_table


def bernoulli(p, maximum, seed, risk, threads=1):
    """The Monte Carlo p of a statistic that exceeds the observed with chance exactly p."""
    return monte_carlo_p(
        lambda stream: float(stream.random() < p),
        0.5,
        maximum,
        np.random.default_rng(seed),
        SIGNIFICANCE,
        risk=risk,
        threads=threads,
    )


def test_a_zero_p_stops_at_the_first_round_whose_bound_excludes_the_level():
    # 1000 replicates: 63 looks, each at risk 1e-3 / 63; 1 - (1e-3 / 63)^(1/n) < 0.1 once
    # n > ln(1.587e-5) / ln(0.9) = 104.9, so at the end of round 7 (112 replicates).
    test, values = bernoulli(0.0, 1000, 0, 1e-3)
    assert (test.replicates, test.exceedances, test.p, len(values)) == (112, 0, 0.0, 112)
    assert test.low == 0 and test.high == pytest.approx(1 - 0.025 ** (1 / 112))


def test_the_fixed_test_draws_every_replicate_of_the_old_chunks():
    test, values = bernoulli(0.3, 500, 1, None)
    assert test.replicates == len(values) == 500 and test.p == values.mean()
    # Stream c draws what the fixed bootstrap's chunk c drew, in the same order.
    streams = np.random.default_rng(1).spawn(ROUND)
    chunks = np.diff(np.linspace(0, 500, ROUND + 1).astype(int))
    drawn = sorted(
        float(s.random() < 0.3) for s, c in zip(streams, chunks, strict=True) for _ in range(c)
    )
    assert sorted(values) == drawn


def test_besag_clifford_passes_exactly_when_the_fixed_test_would():
    assert passing_count(500, 0.1) == 50 and passing_count(1000, 0.1) == 100
    for seed in range(20):
        sequential, values = bernoulli(0.12, 1000, seed, 1e-3)
        fixed, everything = bernoulli(0.12, 1000, seed, None)
        assert np.array_equal(values, everything[: len(values)])  # a prefix of the same draws
        assert (sequential.p >= SIGNIFICANCE) == (fixed.p >= SIGNIFICANCE) or (
            sequential.high < SIGNIFICANCE  # the Clopper-Pearson stop, the only other way
        )


@pytest.mark.parametrize("p, most", [(0.0, 112), (0.02, 300), (0.5, 64), (0.9, 32)])
def test_clear_p_values_stop_early_and_decide_right(p, most):
    runs = [bernoulli(p, 1000, seed, 1e-3)[0] for seed in range(100)]
    assert all((run.p >= SIGNIFICANCE) == (p >= SIGNIFICANCE) for run in runs)
    assert np.mean([run.replicates for run in runs]) <= most


def test_the_resampling_risk_holds_at_the_level_itself():
    # p = 0.1 exactly: a rejection before the last replicate is a wrong decision, which the
    # bound allows in 1 % of runs (4 of 400); the union bound over looks is loose: none here.
    runs = [bernoulli(0.1, 160, seed, 0.01)[0] for seed in range(400)]
    stopped = [run for run in runs if run.replicates < 160]
    assert len(stopped) > 100  # many runs do stop early (as a pass, by Besag-Clifford)
    assert sum(run.p < SIGNIFICANCE for run in stopped) <= 4


def test_the_sequential_p_does_not_depend_on_the_thread_count():
    one, _ = bernoulli(0.3, 500, 2, 1e-3, threads=1)
    two, _ = bernoulli(0.3, 500, 2, 1e-3, threads=2)
    assert one == two


@pytest.mark.slow
def test_fit_layer_records_the_replicates_and_the_interval():
    sizes = discrete_lognormal(2.0, 1.0, 2000, np.random.default_rng(3))  # p about 0.5
    settings = FitSettings(
        bootstrap=200,
        occupancy_bootstrap=10,
        estimator_bootstrap=10,
    )
    key = ("toy", 0, 1, "z1", "train")
    sequential = fit_layer(sizes, settings, group_seed(0, key))
    fixed = fit_layer(sizes, replace(settings, sequential=False), group_seed(0, key))
    assert fixed.replicates_used == 200 and sequential.replicates_used == 16
    assert sequential.p_value >= 0.1 and fixed.p_value >= 0.1
    assert sequential.p_low < sequential.p_value < sequential.p_high
    assert sequential.p_high - sequential.p_low > fixed.p_high - fixed.p_low


def mixture(seed):
    """An exact power law (odd seeds: a lognormal) of 300 sizes, and its fit from x_min = 1."""
    rng = np.random.default_rng(seed)
    if seed % 2:
        sample = discrete_lognormal(2.0, 1.0, 300, rng)
    else:
        sample = sample_power_law(2.5, 1, 300, rng)
    return sample, fit(sample, xmin=1)


def whole_range_test(seed, risk):
    """The whole-range test (x_min = 1, as every fits row's p_whole) of mixture(seed), at
    most 1,000 replicates: the power laws' p spread over (0, 1), the lognormals' near 0."""
    sample, observed = mixture(seed)
    rng = np.random.default_rng([seed, 1])
    return bootstrap_test(sample, observed, 1000, rng, 10, 1, True, risk)


@pytest.mark.slow
def test_decisions_match_the_fixed_1000_replicate_test():
    """On the same seed, so the fixed test's replicates extend the sequential one's."""
    agree = 0
    for seed in range(40):
        (sequential, values), (fixed, everything) = (
            whole_range_test(seed, risk) for risk in (1e-3, None)
        )
        assert np.array_equal(np.sort(values), np.sort(everything[: len(values)]))
        agree += (sequential.p >= SIGNIFICANCE) == (fixed.p >= SIGNIFICANCE)
    assert agree >= 0.95 * 40  # 40 of 40 when written


@pytest.mark.slow
def test_the_sequential_test_draws_5x_fewer_replicates_than_the_fixed_one():
    # The fixed test draws 1,000 every time; the power laws whose p is near 0.1 need most
    # of them under any rule, so the saving is an average over many seeds (6.2x when written).
    used = sum(whole_range_test(seed, 1e-3)[0].replicates for seed in range(120))
    assert 120 * 1000 / used >= 5


def test_a_long_bootstrap_logs_the_share_done(monkeypatch, caplog):
    monkeypatch.setattr("scaleinv.stats.sequential.PROGRESS_SECONDS", 0)
    with caplog.at_level("INFO", logger="scaleinv.stats.sequential"):
        bernoulli(0.3, 48, 0, None)
    assert caplog.messages == [
        "bootstrap: 16 of at most 48 replicates (33 %)",
        "bootstrap: 32 of at most 48 replicates (67 %)",
        "bootstrap: 48 of at most 48 replicates (100 %)",
    ]


def test_the_same_seed_writes_the_same_bytes(tmp_path):
    sizes = sample_power_law(2.2, 1, 2000, np.random.default_rng(6))
    k, m = np.unique(sizes, return_counts=True)
    frame = pl.DataFrame({"k": k.astype(np.uint32), "m": m.astype(np.uint32)}).select(
        experiment=pl.lit("toy"),
        seed=pl.lit(0, pl.Int32),
        epoch=pl.lit(1, pl.Int32),
        layer=pl.lit("z1"),
        split=pl.lit("train"),
        k="k",
        m="m",
    )
    settings = FitSettings(
        bootstrap=100,
        occupancy_bootstrap=10,
        estimator_bootstrap=10,
    )
    paths = [tmp_path / "one.parquet", tmp_path / "two.parquet"]
    for path in paths:
        write_table(fits_table(frame, settings), path)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert pl.read_parquet(paths[0])["replicates_used"][0] < 100  # it did stop early


@pytest.mark.parametrize("maximum", [1, 7, 16, 100, 500, 1001])
def test_the_lazy_boundary_is_the_plain_one(maximum):
    for level, risk in ((0.1, 1e-3), (0.05, 0.05), (0.5, 1e-3)):
        plain = _boundaries_plain(maximum, level, risk)
        assert [boundary(maximum, level, risk, look) for look in range(len(plain))] == plain


def test_each_look_built_from_the_one_before_is_the_plain_boundary():
    """Boundaries found by stepping up from the previous look's (windows of a few k, doubled
    when the boundary jumps further) at levels and risks where they move fast or slowly,
    asked for out of order from an empty cache."""
    for level, risk in ((0.01, 1e-4), (0.3, 0.2), (0.9, 1e-3)):
        plain = _boundaries_plain(2000, level, risk)
        sequential._table.cache_clear()
        assert boundary(2000, level, risk, 77) == plain[77]
        assert [boundary(2000, level, risk, look) for look in range(len(plain))] == plain


def test_a_huge_maximum_costs_only_the_looks_it_reaches():
    """10^5 replicates at most: the first looks' boundaries in well under a second (the
    whole table took minutes), and a clear rejection stops after 160 replicates, where the
    Clopper-Pearson bound at risk 1e-3 / 6,250 looks first excludes 0.1."""
    start = time.perf_counter()
    boundary(100_000, 0.1, 1e-3, 0)
    boundary(100_000, 0.1, 1e-3, 1)
    assert time.perf_counter() - start < 1.0
    result, _ = monte_carlo_p(lambda stream: 0.0, 1.0, 100_000, np.random.default_rng(0), 0.1, 1e-3)
    assert result.replicates == 160 and result.p == 0
