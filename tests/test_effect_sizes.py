"""The curvature of a tail on log-log axes, tested as an instrument over many seeds: zero
inside its interval for exact power laws, significantly negative for bent laws."""

import numpy as np
import pytest

from scaleinv.stats.effect_sizes import curvature, log_binned_counts

SEEDS = range(20)


def _zipf_tail(rng, alpha, n, xmin):
    sizes = rng.zipf(alpha, n)
    return sizes[sizes >= xmin]


@pytest.mark.slow
@pytest.mark.parametrize("alpha,n,xmin", [(2.5, 20_000, 1), (2.0, 20_000, 5), (1.7, 5_000, 1)])
def test_exact_power_laws_have_zero_inside_the_interval(alpha, n, xmin):
    covered = []
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        result = curvature(_zipf_tail(rng, alpha, n, xmin), xmin, rng, replicates=100)
        covered.append(result.low <= 0 <= result.high)
    assert np.mean(covered) >= 0.85  # nominal 95 %: 17 of 20 at the least


@pytest.mark.slow
def test_an_exponential_cutoff_bends_the_tail_down():
    detected = []
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        sizes = _zipf_tail(rng, 1.5, 60_000, 1)
        sizes = sizes[rng.random(len(sizes)) < np.exp(-sizes / 300)]  # k^-1.5 e^(-k/300)
        result = curvature(sizes, 1, rng, replicates=100)
        detected.append(result.high < 0)
    assert np.mean(detected) >= 0.9


@pytest.mark.slow
def test_a_lognormal_bends_down_and_its_curvature_is_its_shape():
    """ln m(k) of a continuous lognormal is a parabola in ln k with coefficient
    -1/(2 sigma^2); in log10 units that is -ln(10)/(2 sigma^2)."""
    sigma = 1.5
    values = []
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        sizes = np.ceil(rng.lognormal(3.0, sigma, 50_000)).astype(np.int64)
        values.append(curvature(sizes[sizes >= 10], 10, rng, replicates=50))
    assert all(v.high < 0 for v in values)
    expected = -np.log(10) / (2 * sigma**2)
    assert np.median([v.value for v in values]) == pytest.approx(expected, rel=0.15)


def test_too_few_bins_give_nan():
    result = curvature(np.array([3, 3, 4, 5]), 3, np.random.default_rng(0))
    assert np.isnan(result.value) and np.isnan(result.low)


def test_bins_count_every_code_once():
    sizes = np.random.default_rng(1).zipf(2.0, 5_000)
    counts, _ = log_binned_counts(sizes, 1)
    assert counts.sum() == len(sizes)


def test_same_seed_same_interval():
    sizes = np.random.default_rng(2).zipf(2.2, 10_000)
    first, second = (curvature(sizes, 1, np.random.default_rng(7)) for _ in range(2))
    assert first == second
