"""The law a scale-free code gives at finite M, fitted to cluster sizes from k = 1.

A cluster size is an occupancy count: M inputs fall into codes, code i with probability p_i,
so its size is Binomial(M, p_i) ~ Poisson(l_i), l_i = M p_i. A scale-free code has regularly
varying frequencies, p_i ~ i^(-1/beta): the number of codes with rate above l goes as
l^(-beta), a rate density ~ l^(-beta-1), and m(k) is then not an exact power law from k = 1
but a Poisson mixture (Karlin 1967; Gnedin, Hansen & Pitman 2007): the right null for a
whole-range test of the claim.

Derivation. Rates with density C l^(-beta-1) on [l_min, inf), a Poisson(l) count per code, and
the observed codes those with k >= 1:

    P(k) ~ C int_{l_min}^inf l^(-beta-1) e^-l l^k / k! dl = C Gamma(k - beta, l_min) / k!   (1)

(upper incomplete gamma). Its normaliser over k >= 1 is C int l^(-beta-1) (1 - e^-l) dl, and by
parts (l^(-beta-1) integrates to -l^(-beta) / beta)

    Z = [l_min^-beta (1 - e^-l_min) + Gamma(1 - beta, l_min)] / beta,                     (2)

and with P(u, l), the chance of >= u events of a Poisson(l) (regularised lower gamma), in place
of 1 - e^-l, the survival function

    P(K >= u) = [l_min^-beta P(u, l_min) + Gamma(u - beta, l_min) / Gamma(u)] / (beta Z).  (3)

The tail of (1) is k^(-beta-1), as for the exact power law with alpha = beta + 1.

Parametrisation: (beta, l_min), beta > 0, l_min >= 0, for every beta. l_min = M p_min is the
rate of the rarest code, so it measures the size of the code space. For beta < 1, (1) converges
as l_min -> 0 to the Sibuya law P(k) = beta Gamma(k - beta) / (Gamma(1 - beta) k!) of an
unbounded code space; it is kept as the boundary l_min = 0 and fitted on its own, because the
approach is slow, O(l_min^(1 - beta)), so no lower bound on log l_min stands in for it near
beta = 1. For beta >= 1, Z diverges (like l_min^(1-beta) / (beta - 1), or log(1/l_min) at
beta = 1) and all mass goes to k = 1: such a code needs a finite code space, l_min > 0. At
l_min > 0 the law is smooth across beta = 1, so one pair covers all beta, and l_min says
whether the data ask for a finite code space. (The q-logarithm (l_min^(1-beta) - 1) / (1 - beta)
would put the Sibuya boundary at a finite point, but its domain is no box for an optimiser.)

Fit and tests: maximum likelihood from k = 1 with standard errors from the observed
information (`fit`); the KS distance of the survival functions; a parametric bootstrap
p-value after CSN 2009 sec. 4.1, the fitted law's own samples refitted (`bootstrap_p_value`);
Vuong's test against the exact power law from x_min = 1 (`compare_power_law`). An exact power
law is no occupancy law: its tail is that of beta = alpha - 1, but its head is not, and a
whole-range fit reads a smaller beta from the small k (tests/test_occupancy.py).
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

from scaleinv.errors import ScaleinvError
from scaleinv.stats.alternatives import log_ratio_spread, power_law_logpmf, vuong
from scaleinv.stats.powerlaw_fit import SIGNIFICANCE, mle_alpha
from scaleinv.stats.sequential import MonteCarloP, monte_carlo_p

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Counts = npt.NDArray[np.intp]  # m(k) of each distinct size, from np.unique

BETA_RANGE = (0.01, 10.0)  # below 0.01 the rates' tail is too heavy to sample (`sample_occupancy`)
LOG_LAMBDA_MIN_RANGE = (np.log(1e-12), np.log(1e3))  # interior fits; l_min = 0 is the boundary
_SIBUYA_BETA = (BETA_RANGE[0], 1 - 1e-9)
_STEP = 1e-4  # finite-difference step in beta for the observed information
_TIE = 1e-3  # nats: an interior fit no better than the boundary by this is the boundary
_SERIES_TERMS = 24  # terms of the series in `log_upper_gamma`; the 24th is below 1e-23
_FRACTION_DEPTH = 100  # terms of the continued fraction (at x = 1 it needs ~85)
_HUGE_RATE = 2.0**62  # draws of a rate above this are dropped: a count must fit in int64


@dataclass(frozen=True)
class OccupancyFit:
    beta: float
    se: float  # standard error of beta (observed information); nan at a bound of beta
    lambda_min: float  # rate of the rarest code; 0.0: the Sibuya boundary (beta < 1)
    se_lambda_min: float  # nan at the Sibuya boundary, where l_min sits on the edge
    n: int
    log_likelihood: float
    ks_d: float  # sup over integers u >= 2 of |P_data(K >= u) - P_fit(K >= u)|


@dataclass(frozen=True)
class LikelihoodRatio:
    """Vuong's test of the exact power law from x_min = 1 against the occupancy law.
    R > 0 favours the power law, as in `alternatives.compare`."""

    ratio: float  # R, the log-likelihood ratio (CSN eq. 5.1)
    normalised: float  # R / (sqrt(n) sigma), the effect size beside p (CSN eq. 5.3)
    p_value: float  # two-sided, of the sign of R
    alpha: float  # the power law's MLE from x_min = 1


def log_upper_gamma(s: npt.ArrayLike, x: float, shift: float | None = None) -> Floats:
    """log Gamma(s, x) = log int_x^inf t^(s-1) e^-t dt for real s (s > 0 where x = 0); with a
    `shift`, log [Gamma(s, x) / Gamma(s + shift)], without forming log Gamma(s), which at
    s ~ 1e16 is only known to +-32.

    scipy's gammaincc is accurate for s > 0 until it underflows (x ~ 700) but takes no s <= 0,
    which the law needs for k <= beta and in Z when beta >= 1. Those go to the continued
    fraction where x >= 1, and to Gamma(s, 1) plus a series for the integral from x to 1 where
    x < 1; so does x > 100 with s < x / 2, where gammaincc heads for underflow. The reference
    is `scipy.integrate.quad` in the tests.
    """
    shape = np.shape(s)
    s = np.atleast_1d(np.asarray(s, np.float64))
    with np.errstate(divide="ignore", invalid="ignore"):  # s <= 0: nan, replaced below
        # Gamma(s) / Gamma(s + shift) = 1 / poch(s, shift), accurate at any s > 0.
        head = special.gammaln(s) if shift is None else -np.log(special.poch(s, shift))
        if x == 0:
            return head.reshape(shape)
        out = head + np.log(special.gammaincc(s, x))
    fraction = ((x >= 1) & (s <= 0)) | ((x > 100) & (s < x / 2))
    series = (x < 1) & (s <= 0)
    if fraction.any() or series.any():
        # One pass of the fraction: at x where x >= 1, at the anchor 1 for the series.
        anchors = np.where(series, 1.0, x)[fraction | series]
        values = np.full_like(s, np.nan)
        values[fraction | series] = _log_gamma_fraction(s[fraction | series], anchors)
        values[series] = np.log(np.exp(values[series]) + _integral_to_one(s[series], x))
        if shift is not None:
            values -= special.gammaln(s + shift)
        out[fraction | series] = values[fraction | series]
    return out.reshape(shape)


def _log_gamma_fraction(s: Floats, x: Floats) -> Floats:
    """Legendre's continued fraction, Gamma(s, x) = e^-x x^s / (x + 1 - s - 1 (1 - s) / (x + 3
    - s - 2 (2 - s) / ...)) (Numerical Recipes, 2nd ed., eq. 6.2.7), evaluated from the bottom
    up at a fixed depth: _FRACTION_DEPTH terms reach 1e-15 for x >= 1 and s <= 0, and for
    x > 100 and s < x / 2, the only places it is used."""
    i = np.arange(_FRACTION_DEPTH, 0, -1.0)[:, None]
    numerators = -i * (i - s)
    denominators = x + 2 * i + 1 - s
    h = denominators[0]
    for numerator, denominator in zip(numerators[:-1], denominators[1:], strict=True):
        h = denominator + numerator / h
    h = x + 1 - s + numerators[-1] / h
    log_gamma: Floats = s * np.log(x) - x - np.log(h)
    return log_gamma


def _integral_to_one(s: Floats, x: float) -> Floats:
    """int_x^1 t^(s-1) e^-t dt = sum_n (-1)^n / n! (1 - x^(s+n)) / (s + n) for 0 < x < 1 (expand
    e^-t); (1 - x^a) / a = -log(x) exprel(a log x) stays finite at a = 0, where it is -log x."""
    n = np.arange(_SERIES_TERMS)[:, None]
    log_x = np.log(x)
    terms = (-1.0) ** n / special.factorial(n) * -log_x * special.exprel((s + n) * log_x)
    integral: Floats = terms.sum(axis=0)
    return integral


def log_norm(beta: float, lambda_min: float) -> Floats:
    """log Z, eq. (2); at l_min = 0 the Sibuya normaliser Gamma(1 - beta) / beta."""
    _check_law(beta, lambda_min)
    log_gamma_one = log_upper_gamma(1 - beta, lambda_min)
    if lambda_min == 0:
        sibuya: Floats = log_gamma_one - np.log(beta)
        return sibuya
    first = -beta * np.log(lambda_min) + np.log(-np.expm1(-lambda_min))
    log_z: Floats = np.logaddexp(first, log_gamma_one) - np.log(beta)
    return log_z


def _check_law(beta: float, lambda_min: float) -> None:
    if not (beta > 0 and lambda_min >= 0 and (lambda_min > 0 or beta < 1)):
        raise ScaleinvError(
            f"the occupancy law needs beta > 0, lambda_min >= 0, and lambda_min > 0 where "
            f"beta >= 1 (got beta = {beta}, lambda_min = {lambda_min})"
        )


def logpmf(k: npt.ArrayLike, beta: float, lambda_min: float) -> Floats:
    """log P(k) of eq. (1) for integers k >= 1 (vectorised over k).

    Parameters
    ----------
    k : array_like of int
        Cluster sizes, >= 1.
    beta : float
        Exponent of the rate density l^(-beta-1); the pmf's tail is k^(-beta-1).
    lambda_min : float
        Lower end of the rates; 0 (only for beta < 1) gives the Sibuya law.

    Returns
    -------
    numpy.ndarray
        log P(k), normalised over k >= 1.
    """
    k = np.asarray(k, np.float64)
    return log_upper_gamma(k - beta, lambda_min, beta + 1) - log_norm(beta, lambda_min)


def log_survival(u: npt.ArrayLike, beta: float, lambda_min: float) -> Floats:
    """log P(K >= u) of eq. (3) for integers u >= 1 (vectorised over u)."""
    u = np.asarray(u, np.float64)
    tail = log_upper_gamma(u - beta, lambda_min, beta)
    if lambda_min > 0:
        with np.errstate(divide="ignore"):  # P(u, l_min) underflows to 0 at large u: no term
            body = -beta * np.log(lambda_min) + np.log(special.gammainc(u, lambda_min))
        tail = np.logaddexp(body, tail)
    log_sf: Floats = tail - np.log(beta) - log_norm(beta, lambda_min)
    return log_sf


def fit(sample: npt.ArrayLike) -> OccupancyFit:
    """Maximum-likelihood fit of the occupancy law to cluster sizes, from k = 1.

    The interior (beta, log l_min) is searched with Nelder-Mead within BETA_RANGE and
    LOG_LAMBDA_MIN_RANGE, the Sibuya boundary (l_min = 0, beta < 1) on its own; the better
    wins, the boundary on a tie within _TIE nats. Standard errors come from the observed
    information (finite differences of the log-likelihood).

    Parameters
    ----------
    sample : array_like of int
        Cluster sizes k >= 1, one per code (not m(k)).

    Returns
    -------
    OccupancyFit
    """
    values, counts = _distinct(sample)
    return _fit(values, counts)


def _distinct(sample: npt.ArrayLike) -> tuple[Ints, Counts]:
    """Distinct sizes and their counts m(k), after checking the sample is one."""
    sample = np.asarray(sample).ravel()
    if sample.size == 0:
        raise ScaleinvError("the occupancy fit needs cluster sizes (got an empty sample)")
    if sample.dtype.kind not in "iuf":
        raise ScaleinvError(f"cluster sizes must be integers (got {str(sample[0])!r}); pass counts")
    fractional = sample[~np.isfinite(sample) | (sample != np.round(sample))]
    if len(fractional):
        raise ScaleinvError(f"cluster sizes must be integers (got {fractional[0]}); pass counts")
    if sample.min() < 1:
        raise ScaleinvError(f"cluster sizes must be >= 1 (got {sample.min()}); drop empty codes")
    values, counts = np.unique(sample.astype(np.int64), return_counts=True)
    if len(values) < 2:
        raise ScaleinvError(
            f"the occupancy fit needs two distinct cluster sizes (got only k = {values[0]})"
        )
    return values, counts


def _log_likelihood(beta: float, lambda_min: float, values: Ints, counts: Counts) -> float:
    """sum over codes of log P(k), from the distinct sizes and their counts."""
    return float(np.dot(counts, logpmf(values, beta, lambda_min)))


def _fit(values: Ints, counts: Counts) -> OccupancyFit:
    from scipy import optimize  # here: 0.1-0.2 s of `import scaleinv.powerlaw`

    alpha = _whole_range_alpha(values, counts)

    def interior_cost(theta: Floats) -> float:
        return -_log_likelihood(theta[0], np.exp(theta[1]), values, counts)

    # Nelder-Mead: derivative-free and bounded, and no BLAS calls, whose thread start-up costs
    # L-BFGS-B more than this likelihood on a busy machine.
    start = [np.clip(alpha - 1, 0.05, 3.0), np.log(0.1)]
    bounds = [BETA_RANGE, LOG_LAMBDA_MIN_RANGE]
    interior = optimize.minimize(interior_cost, start, method="Nelder-Mead", bounds=bounds)
    boundary = optimize.minimize_scalar(
        lambda beta: -_log_likelihood(beta, 0.0, values, counts),
        bounds=_SIBUYA_BETA,
        method="bounded",
        options={"xatol": 1e-8},
    )
    if boundary.fun <= interior.fun + _TIE:
        beta, lambda_min, log_likelihood = float(boundary.x), 0.0, -float(boundary.fun)
        se_beta = _standard_errors(
            lambda t: _log_likelihood(t[0], 0.0, values, counts), [beta], [_STEP], _SIBUYA_BETA
        )[0]
        se_lambda = np.nan
    else:
        beta, log_l = (float(v) for v in interior.x)
        lambda_min, log_likelihood = float(np.exp(log_l)), -float(interior.fun)
        se_beta, se_log = _standard_errors(
            lambda t: -interior_cost(t), [beta, log_l], [_STEP, 10 * _STEP], BETA_RANGE
        )
        se_lambda = lambda_min * se_log  # delta method from log l_min
    return OccupancyFit(
        beta=beta,
        se=float(se_beta),
        lambda_min=lambda_min,
        se_lambda_min=float(se_lambda),
        n=int(counts.sum()),
        log_likelihood=log_likelihood,
        ks_d=_ks_distance(values, counts, beta, lambda_min),
    )


def _standard_errors(
    log_likelihood: Callable[[Floats], float],
    theta: npt.ArrayLike,
    steps: npt.ArrayLike,
    beta_range: tuple[float, float],
) -> Floats:
    """sqrt of the diagonal of the inverse observed information, -d2 l / dtheta2, by central
    differences; nan where theta[0] = beta is within a step of its bounds (the information
    is no variance there) or the information is not positive definite."""
    theta, steps = np.asarray(theta, np.float64), np.asarray(steps, np.float64)
    dim = len(theta)
    if not beta_range[0] + steps[0] < theta[0] < beta_range[1] - steps[0]:
        return np.full(dim, np.nan)
    hessian = np.empty((dim, dim))
    for i in range(dim):
        for j in range(i, dim):
            e_i, e_j = np.eye(dim)[i] * steps[i], np.eye(dim)[j] * steps[j]
            corners = [log_likelihood(theta + a * e_i + b * e_j) for a, b in _CORNERS]
            hessian[i, j] = hessian[j, i] = (corners[0] - corners[1] - corners[2] + corners[3]) / (
                4 * steps[i] * steps[j]
            )
    information = -hessian
    if not np.all(np.isfinite(information)) or np.any(np.linalg.eigvalsh(information) <= 0):
        return np.full(dim, np.nan)
    return np.sqrt(np.diag(np.linalg.inv(information)))


_CORNERS = ((1, 1), (1, -1), (-1, 1), (-1, -1))


def _ks_distance(values: Ints, counts: Counts, beta: float, lambda_min: float) -> float:
    """sup over integers u >= 2 of |S_data(u) - S_fit(u)|, S(u) = P(K >= u). S_data steps only
    at observed sizes, so the sup is at an observed size or one past it (CSN sec. 3.3 takes
    the observed sizes only)."""
    at = np.union1d(values, values + 1)
    at = at[at >= 2]
    observed = counts[::-1].cumsum()[::-1] / counts.sum()  # S_data at each distinct value
    data_sf = np.append(observed, 0.0)[np.searchsorted(values, at)]
    fit_sf = np.exp(log_survival(at, beta, lambda_min))
    return float(np.max(np.abs(data_sf - fit_sf)))


def sample_occupancy(beta: float, lambda_min: float, size: int, rng: np.random.Generator) -> Ints:
    """Exact draws of `size` cluster sizes from the law (1).

    The rate of an observed code has density ~ l^(-beta-1) (1 - e^-l) on [l_min, inf): drawn
    by rejection from the envelope l^(-beta-1) min(l, 1), which bounds it and accepts at least
    1 - 1/e of the proposals, each piece by inverting its CDF. Its size is a zero-truncated
    Poisson: the first of a rate-l process's events in [0, 1], given one, is at T with density
    ~ e^(-l t), and the size is 1 + Poisson(l (1 - T)). So no draw of k = 0 is wasted, which
    matters near the Sibuya boundary where almost every code is empty. Rates above
    _HUGE_RATE (a fraction ~ _HUGE_RATE^-beta: 5e-10 at beta = 0.5) are dropped; rates below
    the smallest float (near beta = 1 at l_min = 0) are raised to it: their size is 1 anyway.
    """
    _check_law(beta, lambda_min)
    log_l = -np.inf if lambda_min == 0 else np.log(lambda_min)
    c = 1 - beta
    # Envelope masses: int l^-beta over [l_min, 1) = (1 - l_min^c) / c, and l^(-beta-1) above.
    if lambda_min >= 1:
        low_mass = 0.0
    elif lambda_min == 0:
        low_mass = 1 / c
    else:
        low_mass = -log_l * special.exprel(c * log_l)
    top = max(lambda_min, 1.0)
    high_mass = top**-beta / beta
    rates = np.empty(0)
    while len(rates) < size:
        batch = 2 * (size - len(rates)) + 16
        u = 1 - rng.random(batch)  # in (0, 1]
        low = rng.random(batch) < low_mass / (low_mass + high_mass)
        proposal = top * u ** (-1 / beta)
        if lambda_min == 0:  # inverse CDF of l^-beta on [l_min, 1): l^c uniform
            proposal[low] = u[low] ** (1 / c)
        elif c == 0:
            proposal[low] = np.exp(log_l * (1 - u[low]))
        else:
            proposal[low] = np.exp(log_l + np.log1p(u[low] * np.expm1(-c * log_l)) / c)
        accept = rng.random(batch) * np.minimum(proposal, 1) <= -np.expm1(-proposal)
        rates = np.concatenate([rates, proposal[accept & (proposal < _HUGE_RATE)]])
    rates = np.maximum(rates[:size], np.finfo(np.float64).tiny)
    first = -np.log1p(rng.random(size) * np.expm1(-rates)) / rates
    return 1 + rng.poisson(rates * (1 - first))


def bootstrap_test(
    sample: npt.ArrayLike,
    observed: OccupancyFit,
    replicates: int,
    rng: np.random.Generator,
    threads: int = 1,
    risk: float | None = None,
) -> MonteCarloP:
    """Parametric bootstrap in the spirit of CSN sec. 4.1: the law models the whole range, so
    each replicate draws len(sample) sizes from the fitted law (`sample_occupancy`), refits it,
    and the p-value is the fraction of replicates whose KS distance is at least the observed one.

    Parameters
    ----------
    sample : array_like of int
        The sizes `observed` was fitted to.
    observed : OccupancyFit
    replicates : int
        The most replicates drawn (all of them when `risk` is None).
    rng : numpy.random.Generator
        Split into fixed child streams (`scaleinv.stats.sequential`): the p-value does not
        depend on `threads`. Its Monte Carlo error is sqrt(p (1 - p) / replicates).
    threads : int
    risk : float or None
        None: the fixed test; else stop once the decision at p = 0.1 is settled with this
        resampling risk.

    Returns
    -------
    sequential.MonteCarloP
    """
    n = len(np.asarray(sample))

    def distance(stream: np.random.Generator) -> float:
        draws = sample_occupancy(observed.beta, observed.lambda_min, n, stream)
        values, counts = np.unique(draws, return_counts=True)
        # One distinct size cannot be fitted: count it as at least as far (conservative).
        return np.inf if len(values) < 2 else _fit(values, counts).ks_d

    return monte_carlo_p(
        distance, observed.ks_d, replicates, rng, SIGNIFICANCE, risk=risk, threads=threads
    )[0]


def bootstrap_p_value(
    sample: npt.ArrayLike,
    observed: OccupancyFit,
    replicates: int,
    rng: np.random.Generator,
    threads: int = 1,
    risk: float | None = None,
) -> float:
    """The p-value of `bootstrap_test`."""
    return bootstrap_test(sample, observed, replicates, rng, threads, risk).p


def compare_power_law(sample: npt.ArrayLike, observed: OccupancyFit) -> LikelihoodRatio:
    """Vuong's test (CSN eq. 5.1-5.4) of the exact discrete power law from x_min = 1, alpha by
    its MLE, against the fitted occupancy law `observed`; R > 0 favours the power law."""
    values, counts = _distinct(sample)
    alpha = _whole_range_alpha(values, counts)
    power = power_law_logpmf(values.astype(np.float64), alpha, 1)
    law = logpmf(values, observed.beta, observed.lambda_min)
    ratio, p = vuong(power, law, counts)
    spread = log_ratio_spread(power, law, counts)
    return LikelihoodRatio(ratio, ratio / spread if spread > 0 else 0.0, p, alpha)


def _whole_range_alpha(values: Ints, counts: Counts) -> float:
    """MLE of the exact power law's alpha from x_min = 1 (CSN eq. 3.5)."""
    mean_log = np.dot(counts, np.log(values)) / counts.sum()
    return float(mle_alpha(np.array([1.0]), np.array([mean_log]))[0])
