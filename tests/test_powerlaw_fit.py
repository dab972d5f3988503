"""CSN power-law fits: exact sampler, recovery of known exponents, agreement with the
`powerlaw` package, bootstrap p-values."""

import warnings

import numpy as np
import pytest
from scipy import special, stats

from scaleinv.stats.powerlaw_fit import bootstrap_p_value, fit, mle_alpha, sample_power_law


@pytest.mark.parametrize("alpha, xmin", [(2.5, 1), (1.8, 5), (3.2, 70)])
def test_sampler_matches_the_exact_discrete_law(alpha, xmin):
    draws = sample_power_law(alpha, xmin, 200_000, np.random.default_rng(1))
    edges = [xmin, xmin + 1, xmin + 2, xmin + 5, xmin + 20, xmin + 100, xmin + 1000, np.inf]
    observed = np.histogram(draws, edges)[0]
    survival = [special.zeta(alpha, e) if np.isfinite(e) else 0.0 for e in edges]
    expected = -np.diff(survival) / special.zeta(alpha, xmin) * len(draws)
    assert stats.chisquare(observed, expected).pvalue > 1e-3


def test_mle_solves_the_likelihood_equation():
    xmin, alpha = np.array([1.0, 10.0]), np.array([2.2, 3.1])
    # E[log X] under the law is -d/dalpha log zeta; the MLE of that mean is alpha itself.
    h = 1e-6
    mean_log = -(np.log(special.zeta(alpha + h, xmin)) - np.log(special.zeta(alpha - h, xmin))) / (
        2 * h
    )
    assert mle_alpha(xmin, mean_log) == pytest.approx(alpha, abs=1e-6)


def test_known_exponent_is_recovered_within_two_standard_errors():
    hits = 0
    for seed in range(40):
        rng = np.random.default_rng(seed)
        tail = sample_power_law(2.3, 4, 2000, rng)
        body = rng.integers(1, 4, 500)  # non-power-law values below x_min
        result = fit(np.concatenate([tail, body]))
        hits += abs(result.alpha - 2.3) <= 2 * result.se
    assert hits >= 36  # >= 90 % of seeds


def test_agrees_with_the_powerlaw_package():
    import powerlaw

    rng = np.random.default_rng(7)
    sample = np.concatenate([sample_power_law(2.6, 3, 3000, rng), rng.integers(1, 3, 600)])
    ours = fit(sample)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = powerlaw.Fit(sample, discrete=True, estimate_discrete=False, verbose=False)
    assert ours.xmin == theirs.xmin
    assert abs(ours.alpha - theirs.alpha) <= 1e-3
    assert ours.ks_d == pytest.approx(theirs.power_law.D, abs=1e-3)


@pytest.mark.slow
def test_bootstrap_p_values_are_roughly_uniform_under_the_null():
    p_values = []
    for seed in range(40):
        rng = np.random.default_rng(100 + seed)
        sample = sample_power_law(2.5, 1, 400, rng)
        p_values.append(bootstrap_p_value(sample, fit(sample), 50, rng))
    assert stats.kstest(p_values, "uniform").pvalue > 0.01
    assert 0.3 < np.mean(p_values) < 0.7


def test_bootstrap_p_value_does_not_depend_on_the_thread_count():
    sample = sample_power_law(2.4, 2, 800, np.random.default_rng(9))
    result = fit(sample)
    one = bootstrap_p_value(sample, result, 64, np.random.default_rng(4), threads=1)
    two = bootstrap_p_value(sample, result, 64, np.random.default_rng(4), threads=2)
    assert one == two


def test_bootstrap_rejects_lognormal_data():
    rng = np.random.default_rng(3)
    sample = np.ceil(rng.lognormal(1.0, 1.5, 50_000)).astype(np.int64)
    result = fit(sample, min_tail=10)
    assert bootstrap_p_value(sample, result, 50, rng, min_tail=10) < 0.1


@pytest.mark.parametrize("alpha, xmin, xmax", [(1.7, 1, 30), (2.5, 3, 500)])
def test_truncated_sampler_matches_the_exact_law(alpha, xmin, xmax):
    draws = sample_power_law(alpha, xmin, 100_000, np.random.default_rng(2), xmax)
    assert draws.min() >= xmin and draws.max() <= xmax
    support = np.arange(xmin, xmax + 1)
    expected = support**-alpha / (special.zeta(alpha, xmin) - special.zeta(alpha, xmax + 1))
    observed = np.bincount(draws - xmin, minlength=len(support))
    # The first 20 values one by one, the rest of the support as one bin.
    lumped = lambda a: np.append(a[:20], a[20:].sum())  # noqa: E731
    assert stats.chisquare(lumped(observed), 100_000 * lumped(expected)).pvalue > 0.001


@pytest.mark.parametrize("xmin, xmax", [(1, None), (3, None), (2, 80)])
def test_a_given_xmin_and_xmax_agree_with_the_powerlaw_package(xmin, xmax):
    import powerlaw

    sample = sample_power_law(2.3, 1, 20_000, np.random.default_rng(6))
    ours = fit(sample, 10, xmin, xmax)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = powerlaw.Fit(
            sample, discrete=True, xmin=xmin, xmax=xmax, estimate_discrete=False,
            parameter_ranges={"alpha": [1.0, 30.0]}, verbose=False,
        )  # fmt: skip
    assert ours.xmin == xmin and ours.xmax == xmax
    assert ours.alpha == pytest.approx(theirs.power_law.alpha, abs=1e-4)
    assert ours.ks_d == pytest.approx(theirs.power_law.D, abs=1e-3)


def test_a_fixed_xmin_bootstrap_accepts_its_own_law():
    rng = np.random.default_rng(12)
    sample = sample_power_law(2.4, 1, 1500, rng)
    result = fit(sample, 10, xmin=1)
    assert bootstrap_p_value(sample, result, 100, rng, 10, fixed_xmin=True) > 0.05
