"""The occupancy pair test (`scaleinv.stats.scaling_test`) as an instrument: its code space
solves for the fitted law's rarest rate and draws the law's frequencies, its outlyingness rank
p-value is uniform under its null and floors at 1 / (B + 1) far from it, the data's pair is
the scaling summary's, and over many seeds it accepts scale-free occupancy codes and rejects
k-means-like boxes and uniform codes (the rates are in docs/scaling.md)."""

import dataclasses

import numpy as np
import pytest
from scipy import stats

from occupancy_codes import code_ids
from scaleinv.analysis import scaling
from scaleinv.stats import scaling_test
from scaleinv.stats.layer import FitSettings

SIZES = (5_000, 20_000, 60_000)  # the default config's grid
TAIL = FitSettings()  # only min_distinct, min_tail, xmin, xmax are read
LEVEL = 0.1  # a pair is rejected at p < LEVEL


def test_the_code_space_puts_the_rarest_rate_at_lambda_min():
    for beta, lambda_min in [(0.5, 0.02), (0.9, 0.0017), (1.2, 0.012), (2.0, 0.4), (0.7, 4.6)]:
        code = scaling_test.zipf_code(beta, lambda_min, 60_000)
        rarest = 60_000 * code.codes ** (-1 / beta) / code.total
        # N is an integer: the rate of N or N + 1 codes brackets lambda_min
        neighbour = 60_000 * (code.codes + 1) ** (-1 / beta) / code.total
        assert neighbour <= lambda_min * 1.01 and rarest >= lambda_min * 0.99, (beta, code.codes)
    assert scaling_test.zipf_code(0.5, 0.0, 60_000).codes == np.inf


def test_draws_follow_the_frequencies_in_the_table_and_beyond_it():
    rng = np.random.default_rng(0)
    for beta, lambda_min in [(0.8, 0.0), (1.2, 0.01), (2.0, 0.4)]:
        code = scaling_test.zipf_code(beta, lambda_min, 60_000)
        drawn = scaling_test.draw_codes(code, 400_000, rng) + 1  # codes 1..N
        assert drawn.min() >= 1 and drawn.max() <= code.codes
        s = 1 / beta
        # the first codes against their exact frequencies (chi-square)
        observed = np.bincount(drawn[drawn <= 10], minlength=11)[1:11]
        expected = 400_000 * np.arange(1, 11) ** -s / code.total
        assert stats.chisquare(observed, expected * observed.sum() / expected.sum()).pvalue > 1e-3
        # the share beyond the table, and beyond 10 x the table, against their masses
        for edge in (scaling_test.HEAD, 10 * scaling_test.HEAD):
            if edge >= code.codes:
                continue
            exact = 1 - np.sum(np.arange(1, edge + 1, dtype=float) ** -s) / code.total
            share = np.mean(drawn > edge)
            assert abs(share - exact) < 4 * np.sqrt(exact * (1 - exact) / len(drawn)) + 1e-4


def test_the_outlyingness_p_is_uniform_under_its_null_and_floors_far_from_it():
    rng = np.random.default_rng(1)
    cov = [[1.0, 0.8], [0.8, 1.0]]
    p = [
        scaling_test.outlyingness_p(rng.multivariate_normal([0, 0], cov), rng.multivariate_normal([0, 0], cov, 99))[0]
        for _ in range(400)
    ]  # fmt: skip
    assert stats.kstest(p, "uniform").pvalue > 1e-3
    assert np.mean(np.asarray(p) < 0.1) == pytest.approx(0.1, abs=0.05)
    cloud = rng.multivariate_normal([0, 0], cov, 199)
    # along the correlation a point is near; across it, as far off, it is not
    assert scaling_test.outlyingness_p([2.0, 2.0], cloud)[0] > 0.05
    assert scaling_test.outlyingness_p([2.0, -2.0], cloud)[0] == pytest.approx(1 / 200)
    assert np.isnan(scaling_test.outlyingness_p([0.0, np.nan], cloud)[0])
    # a few wild draws do not hide a point off the cloud's core
    wild = np.vstack([cloud[:190], [[0.0, 40.0]] * 9])
    assert scaling_test.outlyingness_p([2.0, -2.0], wild)[0] <= 10 / 200
    # a draw without a pair counts as at least as far
    with_gaps = np.vstack([cloud[:99], np.full((100, 2), np.nan)])
    assert scaling_test.outlyingness_p([2.0, -2.0], with_gaps)[0] == pytest.approx(101 / 200)


def test_the_pair_is_the_scaling_summarys():
    rng = np.random.default_rng(4)
    ids = code_ids(np.arange(1, 100_001) ** (-1 / 0.8), 12_000, rng)
    settings = scaling.ScalingSettings(
        sizes=(2_000, 6_000, 12_000), replicates=2, splits=("train",), sibuya_max_k=10, seed=3
    )
    fit = FitSettings(bootstrap=5, occupancy_bootstrap=1, estimator_bootstrap=10)
    key = ("e", 1, 2, "z", "train")
    table, _ = scaling.scaling_table({key: ids}, settings, fit)
    summary = scaling.summary_table(table).row(0, named=True)
    pair = scaling_test.scaling_pair(
        ids,
        settings.sizes,
        settings.replicates,
        lambda m, r: scaling.subsample_stream(settings.seed, (1, 2, "train"), m, r),
        fit,
    )
    assert pair.heaps == pytest.approx(summary["heaps"], abs=1e-12)
    assert pair.beta == pytest.approx(summary["beta"], abs=1e-12)


def test_the_null_law_is_bounded_at_beta_max():
    rng = np.random.default_rng(5)
    uniform = np.bincount(rng.integers(0, 2**16, 60_000))
    law = scaling_test.null_law(uniform[uniform > 0])
    assert law.restricted and law.beta == scaling_test.BETA_MAX and law.lambda_min > 0
    free = np.bincount(code_ids(np.arange(1, 10**6 + 1) ** (-1 / 0.9), 60_000, rng))
    law = scaling_test.null_law(free[free > 0])
    assert not law.restricted and law.beta == pytest.approx(0.9, abs=0.05)


LAW = scaling_test.NullLaw(0.7, 0.01, covariance=np.array([[1e-4, 1e-4], [1e-4, 4e-3]]))


def test_the_pair_test_is_seeded_and_draw_b_does_not_depend_on_b():
    rng = np.random.default_rng(6)
    ids = code_ids(np.arange(1, 20_001) ** (-1 / 0.7), 6_000, rng)
    observed = scaling_test.scaling_pair(ids, (1_000, 6_000), 1, lambda *_: rng, TAIL)
    run = lambda draws: scaling_test.pair_test(  # noqa: E731
        observed, LAW, 6_000, (1_000, 6_000), 1, TAIL, draws, np.random.default_rng(9)
    )
    small, large, again = run(20), run(40), run(40)
    assert np.array_equal(small.heaps, large.heaps[:20]) and np.array_equal(large.beta, again.beta)
    assert large.p_value == again.p_value and 1 / 41 <= large.p_value <= 1


def test_the_summary_gets_the_pair_test_and_the_draws(tmp_path):
    rng = np.random.default_rng(7)
    ids = {("e", 0, 1, "z", "train"): code_ids(np.arange(1, 20_001) ** (-1 / 0.7), 6_000, rng)}
    settings = scaling.ScalingSettings(
        sizes=(1_000, 3_000, 6_000), replicates=1, splits=("train",), sibuya_max_k=10, seed=0,
        pair_draws=30,
    )  # fmt: skip
    fit = FitSettings(bootstrap=5, occupancy_bootstrap=1, estimator_bootstrap=10)
    table, degeneracy = scaling.scaling_table(ids, settings, fit)
    summary, draws = scaling.with_pair_tests(
        scaling.summary_table(table), ids, degeneracy, settings, fit
    )
    assert list(summary.columns) == list(scaling.SUMMARY_SCHEMA)
    assert 1 / 31 <= summary["p_occupancy_pair"][0] <= 1 and draws.height == 30
    assert list(draws.schema.items()) == list(scaling.PAIRS_SCHEMA.items())
    off = dataclasses.replace(settings, pair_draws=0)
    summary, draws = scaling.with_pair_tests(
        scaling.summary_table(table), ids, degeneracy, off, fit
    )
    assert summary["p_occupancy_pair"].is_null().all() and draws.height == 0


# Known answers. Each seed: 60,000 inputs drawn from the code, subsampled to SIZES (the data
# streams), the law fitted at 60,000 (`null_law`) and DRAWS draws of it, as the workflow's
# default. Seeds are fixed, so the counts are the same on every run; the calibration over
# 40 seeds (20 for the alternatives) is in docs/scaling.md.
DRAWS = 200
SCALE_FREE_CODES = 10**6  # p_i ~ i^(-1/b) over 10^6 codes (b > 1 needs a finite space)


def p_values(frequencies, seeds):
    found = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        ids = code_ids(frequencies, SIZES[-1], rng)
        observed = scaling_test.scaling_pair(
            ids, SIZES, 1, lambda m, r, s=seed: np.random.default_rng([s, m, r]), TAIL
        )
        sizes = np.bincount(ids)
        law = scaling_test.null_law(sizes[sizes > 0])
        test = scaling_test.pair_test(
            observed, law, SIZES[-1], SIZES, 1, TAIL, DRAWS,
            np.random.default_rng([seed, 1]),
        )  # fmt: skip
        found.append(test.p_value)
    return np.asarray(found)


@pytest.mark.slow
@pytest.mark.parametrize("b", [0.5, 0.9, 1.2])
def test_scale_free_occupancy_codes_are_accepted(b):
    """Done when (issue 33): accepted (p >= 0.1) in >= 85 % of 24 seeds (21; an exact test
    at 0.1 accepts 21.6 on average, this conservative one 23-24)."""
    p = p_values(np.arange(1, SCALE_FREE_CODES + 1) ** (-1 / b), range(24))
    assert np.sum(p >= LEVEL) >= 21, np.round(p, 3)


@pytest.mark.slow
def test_dirichlet_boxes_are_rejected():
    """2,048 Dirichlet(1) boxes (k-means-like, fixed): rejected in >= 90 % of 16 seeds."""
    weights = np.random.default_rng(2048).dirichlet(np.ones(2048))
    p = p_values(weights, range(16))
    assert np.sum(p < LEVEL) >= 15, np.round(p, 3)


@pytest.mark.slow
def test_uniform_codes_are_rejected():
    """Uniform 16-bit codes: rejected in >= 90 % of 16 seeds, against the law bounded at
    BETA_MAX; the unbounded fit (beta = 10) reproduces them."""
    p = p_values(np.ones(2**16), range(16))
    assert np.sum(p < LEVEL) >= 15, np.round(p, 3)


@pytest.mark.slow
def test_lognormal_codes_are_not_told_apart():
    """Lognormal frequencies (sigma = 2.5, 10^6 codes) mimic a scale-free code in (h, beta):
    the fitted law (beta ~ 1.1) reproduces both, and the test rejects them about as often as
    its level. Held here so that a change in power shows; docs/scaling.md states the rate."""
    frequencies = np.exp(2.5 * np.random.default_rng(25).standard_normal(1_000_000))
    p = p_values(frequencies, range(16))
    assert np.sum(p < LEVEL) <= 4, np.round(p, 3)
