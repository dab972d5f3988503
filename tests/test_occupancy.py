"""The occupancy law of a scale-free code: its functions against plain quadrature, its sampler
against its pmf, and known answers over many seeds: recovery of beta from occupancy counts of
codes with p_i ~ i^(-1/b), bootstrap acceptance of them, and rejection of exact power laws,
a discrete lognormal and k-means-like Dirichlet boxes."""

import dataclasses

import numpy as np
import pytest
from scipy import integrate, special, stats

from heavy_tails import discrete_lognormal
from occupancy_codes import dirichlet_sizes, scale_free_sizes
from scaleinv.errors import ScaleinvError
from scaleinv.stats import occupancy
from scaleinv.stats.powerlaw_fit import sample_power_law

LAWS = [(0.5, 0.0), (0.9, 0.0), (0.5, 1e-3), (0.9, 1.7e-3), (1.0, 0.05), (1.5, 0.2), (2.5, 3.0)]


def _log_quad(log_integrand, low):
    """log of int_low^inf exp(log_integrand(u)) du (u = log t), split at the peak; the
    integrand is scaled by its largest value so that nothing overflows."""
    grid = np.linspace(low if np.isfinite(low) else -60.0, 8.0, 4001)
    with np.errstate(over="ignore", divide="ignore"):  # exp(u) at the far ends: harmless
        top = grid[np.argmax(log_integrand(grid))]
        scale = log_integrand(np.array([top]))[0]
        pieces = [(low, top), (top, top + 3), (top + 3, np.inf)]
        total = sum(
            integrate.quad(
                lambda u: np.exp(log_integrand(u) - scale), a, b, epsrel=1e-12, limit=200
            )[0]
            for a, b in pieces
            if b > a
        )
    return scale + np.log(total)


def reference_log_upper_gamma(s, x):
    """The plain definition, log int_x^inf t^(s-1) e^-t dt, by quadrature in log t."""
    return _log_quad(lambda u: s * u - np.exp(u), np.log(x))


def reference_pmf(k, beta, lambda_min):
    """The mixture itself, eq. (1) over eq. (2)'s integral: int l^(-beta-1) Poisson(k; l) dl
    over int l^(-beta-1) (1 - e^-l) dl, both by quadrature in log l."""
    low = np.log(lambda_min) if lambda_min > 0 else -np.inf
    log_mass = _log_quad(lambda u: (k - beta) * u - np.exp(u), low) - special.gammaln(k + 1)
    log_norm = _log_quad(lambda u: -beta * u + np.log(-np.expm1(-np.exp(u))), low)
    return np.exp(log_mass - log_norm)


@pytest.mark.parametrize("x", [1e-8, 1e-3, 0.4, 1.0, 3.0, 40.0, 300.0])
def test_log_upper_gamma_matches_quadrature(x):
    s = np.array([-4.5, -2.0, -1.0, -0.3, -1e-9, 0.0, 1e-9, 0.2, 0.999, 1.0, 2.5, 7.0, 30.0])
    expected = [reference_log_upper_gamma(v, x) for v in s]
    assert occupancy.log_upper_gamma(s, x) == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert occupancy.log_upper_gamma(s[0], x) == pytest.approx(expected[0], rel=1e-9)  # a scalar


@pytest.mark.parametrize("beta, lambda_min", LAWS)
def test_pmf_matches_the_mixture_integral(beta, lambda_min):
    k = np.arange(1, 21)
    expected = [reference_pmf(v, beta, lambda_min) for v in k]
    assert np.exp(occupancy.logpmf(k, beta, lambda_min)) == pytest.approx(expected, rel=1e-8)


@pytest.mark.parametrize("beta, lambda_min", LAWS)
def test_pmf_sums_to_one_and_the_survival_function_agrees(beta, lambda_min):
    k = np.arange(1, 200_001)
    pmf = np.exp(occupancy.logpmf(k, beta, lambda_min))
    survival = np.exp(occupancy.log_survival(np.append(k, k[-1] + 1), beta, lambda_min))
    assert pmf.sum() + survival[-1] == pytest.approx(1.0, abs=1e-10)
    assert survival[0] == pytest.approx(1.0, abs=1e-12)
    head = slice(0, 1000)
    np.testing.assert_allclose(
        (survival[:-1] - survival[1:])[head], pmf[head], rtol=1e-8, atol=1e-15
    )


def test_lambda_min_zero_is_the_sibuya_law():
    k = np.arange(1, 100_001)
    for beta in (0.2, 0.5, 0.9):
        sibuya = np.log(beta) + special.gammaln(k - beta) - special.gammaln(1 - beta)
        expected = sibuya - special.gammaln(k + 1)
        np.testing.assert_allclose(occupancy.logpmf(k, beta, 0.0), expected, atol=1e-9)
    # The boundary is reached, slowly (the gap is O(l_min^(1 - beta))).
    near = occupancy.logpmf(k[:50], 0.5, 1e-12)
    np.testing.assert_allclose(near, occupancy.logpmf(k[:50], 0.5, 0.0), atol=1e-5)


@pytest.mark.parametrize("beta, lambda_min", LAWS)
def test_the_tail_is_k_to_the_minus_beta_minus_one_up_to_int64(beta, lambda_min):
    """Heavy-tailed bootstrap samples reach k ~ 1e16, where log Gamma(k) is only known to +-32:
    the pmf must still follow its tail, P(k) k^(beta+1) -> 1 / Z (eq. 1: Gamma(k - beta) / k!
    ~ k^(-beta-1))."""
    k = np.array([1e8, 1e10, 1e12, 1e14, 1e16, 9e18])
    scaled = occupancy.logpmf(k, beta, lambda_min) + (beta + 1) * np.log(k)
    np.testing.assert_allclose(scaled, -occupancy.log_norm(beta, lambda_min), atol=1e-6)


@pytest.mark.parametrize("beta", [1.0, 2.0, 3.0])
@pytest.mark.parametrize("lambda_min", [0.3, 5.0])
def test_the_law_is_smooth_across_integer_beta(beta, lambda_min):
    """Gamma(k - beta, l_min) changes method at k - beta = 0: no kink there. The second
    difference is h^2 f'' on a smooth curve, but h |jump in slope| at a kink."""
    k = np.arange(1, 50)

    def second_difference(h):
        up, at, down = (occupancy.logpmf(k, beta + d, lambda_min) for d in (h, 0.0, -h))
        return up - 2 * at + down

    np.testing.assert_allclose(
        100 * second_difference(1e-4), second_difference(1e-3), rtol=0.02, atol=1e-9
    )


@pytest.mark.parametrize("beta, lambda_min", [*LAWS, (0.999, 0.0)])
def test_sampler_matches_the_law(beta, lambda_min):
    draws = occupancy.sample_occupancy(beta, lambda_min, 100_000, np.random.default_rng(1))
    edges = np.array([1, 2, 3, 4, 6, 10, 20, 50, 200, 1000, 10_000])
    observed = np.histogram(draws, np.append(edges, np.inf))[0]
    survival = np.append(np.exp(occupancy.log_survival(edges, beta, lambda_min)), 0.0)
    expected = -np.diff(survival) * len(draws)
    assert draws.min() >= 1
    assert stats.chisquare(observed, expected).pvalue > 1e-3


def rarest_rate(b, inputs=60_000, codes=1_000_000):
    """M p_min of `scale_free_sizes`: the l_min its occupancy law has."""
    weights = np.arange(1, codes + 1) ** (-1 / b)
    return inputs * weights[-1] / weights.sum()


@pytest.mark.parametrize("b", [0.5, 0.75, 0.9])
def test_recovers_beta_of_scale_free_codes(b):
    """M = 60,000 inputs into 10^6 codes with p_i ~ i^(-1/b): beta within 2 SE in >= 85 % of
    20 seeds (measured: 60 of 60 over the three b)."""
    hits = 0
    for seed in range(20):
        result = occupancy.fit(scale_free_sizes(b, np.random.default_rng(seed)))
        hits += abs(result.beta - b) <= 2 * result.se
    assert hits >= 17


def test_recovers_the_rate_of_the_rarest_code():
    """At b = 0.9 the finite code space shows (l_min^(1-b) = 0.53, far from the Sibuya
    boundary): l_min = M p_min within 2 SE in >= 85 % of seeds (measured 20 of 20)."""
    truth, hits = rarest_rate(0.9), 0
    for seed in range(10):
        result = occupancy.fit(scale_free_sizes(0.9, np.random.default_rng(seed)))
        hits += abs(result.lambda_min - truth) <= 2 * result.se_lambda_min
    assert hits >= 8


def test_scale_free_codes_favour_the_occupancy_law_over_the_exact_power_law():
    """Vuong's R < 0 with p < 0.01 where there are thousands of codes (b = 0.75: n ~ 4,800,
    normalised R ~ -7; b = 0.9: n ~ 15,000, ~ -11; 20 of 20 seeds each). At b = 0.5 there are
    only ~340 codes: R < 0 in 20 of 20 seeds, but p < 0.01 in only 1."""
    for b in (0.75, 0.9):
        for seed in range(4):
            sample = scale_free_sizes(b, np.random.default_rng(seed))
            test = occupancy.compare_power_law(sample, occupancy.fit(sample))
            assert test.ratio < 0 and test.normalised < -3 and test.p_value < 0.01


@pytest.mark.slow
@pytest.mark.parametrize("b, seeds", [(0.5, 10), (0.75, 5), (0.9, 3)])
def test_bootstrap_accepts_scale_free_codes(b, seeds):
    """p >= 0.1 in all seeds but at most one (measured 30 of 30 with 50 replicates, p from
    0.22 to 1, mean 0.67). The rates of real codes form a fixed grid, not iid draws, so their
    KS distances run smaller than the bootstrap's and the test is conservative here. With 40
    replicates p has a Monte Carlo error of at most sqrt(0.25 / 40) = 0.08, 0.05 at p = 0.1."""
    passed = 0
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        sample = scale_free_sizes(b, rng)
        passed += occupancy.bootstrap_p_value(sample, occupancy.fit(sample), 40, rng) >= 0.1
    assert passed >= seeds - 1


@pytest.mark.slow
def test_bootstrap_p_values_are_uniform_under_the_law():
    """Samples drawn from the law itself: p-values spread over [0, 1], so p >= 0.1 in ~90 %."""
    p_values = []
    for seed in range(24):
        rng = np.random.default_rng(200 + seed)
        sample = occupancy.sample_occupancy(0.6, 0.01, 300, rng)
        p_values.append(occupancy.bootstrap_p_value(sample, occupancy.fit(sample), 25, rng))
    assert 0.3 < np.mean(p_values) < 0.7
    assert np.mean(np.array(p_values) >= 0.1) >= 0.75


@pytest.mark.slow
@pytest.mark.parametrize("alpha", [1.5, 2.0, 2.5])
def test_exact_power_laws_are_not_occupancy_laws(alpha):
    """An exact power law from k = 1 has the tail of beta = alpha - 1 but not the head: the
    whole-range fit reads beta from the small k, below alpha - 1 (measured 0.47, 0.85, 1.16
    at n = 10^4), the bootstrap rejects it (p <= 0.04 in 15 of 15 seeds, 50 replicates) and
    Vuong's R > 0 favours the power law (15 of 15). At n = 10^3 it is not yet told apart: the
    bootstrap passes 10 of 15."""
    for seed in range(2):
        rng = np.random.default_rng(seed)
        sample = sample_power_law(alpha, 1, 10_000, rng)
        result = occupancy.fit(sample)
        assert result.beta < alpha - 1 - 2 * result.se
        assert occupancy.bootstrap_p_value(sample, result, 20, rng) < 0.1
        assert occupancy.compare_power_law(sample, result).ratio > 0


@pytest.mark.slow
def test_rejects_a_discrete_lognormal():
    """ceil(lognormal(0, 1)), n = 10^5: p = 0 in 5 of 5 seeds with 50 replicates (KS 0.009);
    here 3 seeds, 10 replicates."""
    for seed in range(3):
        rng = np.random.default_rng(seed)
        sample = discrete_lognormal(0.0, 1.0, 100_000, rng)
        assert occupancy.bootstrap_p_value(sample, occupancy.fit(sample), 10, rng) == 0


@pytest.mark.slow
def test_rejects_dirichlet_boxes():
    """2,048 boxes with Dirichlet(1) frequencies, 60,000 inputs (k-means-like): exponential,
    not power-law, rates. KS ~ 0.17 and p = 0 in 5 of 5 seeds with 50 replicates."""
    for seed in range(5):
        rng = np.random.default_rng(seed)
        sample = dirichlet_sizes(rng)
        result = occupancy.fit(sample)
        assert result.ks_d > 0.1
        assert occupancy.bootstrap_p_value(sample, result, 20, rng) < 0.1


def test_same_seed_same_result_whatever_the_thread_count():
    sample = scale_free_sizes(0.75, np.random.default_rng(3))
    first, again = occupancy.fit(sample), occupancy.fit(sample)
    np.testing.assert_equal(dataclasses.astuple(first), dataclasses.astuple(again))
    one = occupancy.bootstrap_p_value(sample, first, 32, np.random.default_rng(5), threads=1)
    two = occupancy.bootstrap_p_value(sample, first, 32, np.random.default_rng(5), threads=2)
    assert one == two
    draws = [
        occupancy.sample_occupancy(0.8, 0.01, 1000, np.random.default_rng(9)) for _ in range(2)
    ]
    np.testing.assert_array_equal(*draws)


@pytest.mark.parametrize(
    "sample, shown",
    [
        ([], "empty"),
        ([0, 1, 2], "got 0"),
        ([-3, 2], "got -3"),
        ([1, 2.5], "got 2.5"),
        ([1.0, np.inf], "got inf"),
        (["a", "b"], "got 'a'"),
        ([3, 3, 3], "k = 3"),
    ],
)
def test_bad_input_is_one_line_naming_the_value(sample, shown):
    for call in (occupancy.fit, lambda s: occupancy.compare_power_law(s, None)):
        with pytest.raises(ScaleinvError) as error:
            call(sample)
        assert shown in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("beta, lambda_min", [(1.0, 0.0), (2.5, 0.0), (0.0, 0.1), (0.5, -1.0)])
def test_a_law_outside_its_domain_is_one_line(beta, lambda_min):
    """beta >= 1 needs a finite code space, l_min > 0 (the normaliser diverges at 0)."""
    for call in (
        lambda: occupancy.logpmf([1, 2], beta, lambda_min),
        lambda: occupancy.sample_occupancy(beta, lambda_min, 10, np.random.default_rng(0)),
    ):
        with pytest.raises(ScaleinvError, match=f"got beta = {beta}, lambda_min = {lambda_min}"):
            call()
