"""Likelihood-ratio tests of a fitted power law against lognormal, exponential and cutoff laws."""

import numpy as np
import pytest

from scaleinv.analysis.alternatives import (
    compare,
    cutoff_logpmf,
    exponential_logpmf,
    fit_cutoff,
    lognormal_logpmf,
    power_law_logpmf,
    stretched_exponential_logpmf,
    stretched_log_norm,
)
from scaleinv.analysis.powerlaw_fit import fit, sample_power_law


def test_lognormal_data_prefer_the_lognormal():
    rng = np.random.default_rng(3)
    sample = np.ceil(rng.lognormal(1.0, 1.5, 50_000)).astype(np.int64)
    result = fit(sample, min_tail=10)
    tail = sample[sample >= result.xmin]
    ratio, _ = compare(tail, result.alpha, result.xmin)["lognormal"]
    assert ratio < -10


def test_power_law_data_are_not_beaten_by_alternatives():
    rng = np.random.default_rng(5)
    sample = sample_power_law(2.2, 1, 5000, rng)
    result = fit(sample)
    tests = compare(sample[sample >= result.xmin], result.alpha, result.xmin)
    assert tests["exponential"][0] > 0 and tests["exponential"][1] < 0.01
    assert tests["cutoff"][1] > 0.01  # the nested test finds no significant cutoff


@pytest.mark.parametrize("xmin, xmax", [(1, 40), (5, 300)])
def test_every_alternative_is_normalised_over_the_same_support(xmin, xmax):
    """Fitted to the support itself, each law's probabilities over [x_min, x_max] sum to 1."""
    support = np.arange(xmin, xmax + 1, dtype=np.float64)
    for logpmf in (lognormal_logpmf, exponential_logpmf, stretched_exponential_logpmf):
        assert np.exp(logpmf(support, xmin, xmax)).sum() == pytest.approx(1, abs=1e-9), logpmf
    assert np.exp(cutoff_logpmf(support, 1.5, xmin, xmax)).sum() == pytest.approx(1, abs=1e-9)
    assert np.exp(power_law_logpmf(support, 2.1, xmin, xmax)).sum() == pytest.approx(1, abs=1e-12)


@pytest.mark.parametrize("beta, lam, xmin", [(0.5, 0.8, 1), (0.3, 2.0, 10)])
def test_the_stretched_exponential_normaliser_matches_a_long_explicit_sum(beta, lam, xmin):
    k = np.arange(xmin, 3_000_000, dtype=np.float64)  # far past where the terms vanish
    explicit = np.log(np.sum(k ** (beta - 1) * np.exp(-lam * k**beta)))
    assert stretched_log_norm(beta, lam, xmin) == pytest.approx(explicit, abs=1e-8)


def stretched_exponential_sample(beta, lam, size, rng):
    """Exact draws from P(k) ~ k^(beta-1) e^(-lam k^beta), k >= 1, by its tabulated CDF."""
    k = np.arange(1, 200_000, dtype=np.float64)
    weights = k ** (beta - 1) * np.exp(-lam * k**beta)
    cdf = np.cumsum(weights) / weights.sum()
    return 1 + np.searchsorted(cdf, rng.random(size), side="right")


def test_stretched_exponential_data_prefer_it_and_power_laws_do_not():
    rng = np.random.default_rng(8)
    stretched = stretched_exponential_sample(0.4, 1.0, 20_000, rng)
    result = fit(stretched, min_tail=10, xmin=1)
    ratio, p = compare(stretched, result.alpha, 1)["stretched_exponential"]
    assert ratio < 0 and p < 0.01
    power = sample_power_law(2.2, 1, 20_000, rng)
    result = fit(power, min_tail=10, xmin=1)
    ratio, p = compare(power, result.alpha, 1)["stretched_exponential"]
    assert ratio > 0 or p > 0.1


def test_the_cutoff_fit_recovers_a_known_cutoff_law_and_its_ccdf_is_drawn_exactly():
    """Draws from k^-1.5 e^(-0.01 k) (k >= 1, inverse CDF over an explicit table): the fit
    finds alpha and lambda, and the figure's CCDF of the fitted law is its exact tail sum."""
    from scaleinv.plots.ccdf_figures import cutoff_ccdf

    k = np.arange(1, 5000, dtype=np.float64)
    pmf = k**-1.5 * np.exp(-0.01 * k)
    pmf /= pmf.sum()
    sample = k[np.searchsorted(np.cumsum(pmf), np.random.default_rng(0).random(50_000))]
    alpha, lam = fit_cutoff(sample, 2.0, 1)
    assert alpha == pytest.approx(1.5, abs=0.03) and lam == pytest.approx(0.01, abs=0.002)
    fit = {"cutoff_alpha": 1.5, "cutoff_lambda": 0.01, "xmin": 1, "xmax": None, "tail_codes": 1.0}
    points, ccdf = cutoff_ccdf(fit, 100)
    assert points[0] == 1 and ccdf[0] == pytest.approx(1, abs=1e-9)
    assert ccdf[99] == pytest.approx(pmf[99:].sum(), rel=1e-6)
