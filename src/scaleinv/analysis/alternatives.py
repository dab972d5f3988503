"""Likelihood-ratio tests of a fitted discrete power law against alternatives on the same
tail x_min <= x <= x_max (CSN 2009 sec. 5). Every alternative is discrete and normalised
over the same integers as the power law, so log-likelihoods are comparable.
"""

import numpy as np
from scipy import integrate, optimize, special, stats

from scaleinv.analysis.powerlaw_fit import log_norm

ALTERNATIVES = ("lognormal", "exponential", "cutoff", "stretched_exponential")  # of `compare`
_SUM_TERMS = 1 << 14  # terms summed explicitly before a normaliser's integral tail


def power_law_logpmf(x, alpha, xmin, xmax=None):
    return -alpha * np.log(x) - log_norm(alpha, xmin, xmax)


def exponential_logpmf(x, xmin, xmax=None):
    """Geometric tail P(x) = (1 - q) q^(x - x_min) / (1 - q^(x_max - x_min + 1)), q = e^-lam;
    lam by its closed-form MLE without x_max, numerically with one."""

    def logpmf(lam):
        log_mass = 0.0 if xmax is None else np.log(-np.expm1(-lam * (xmax - xmin + 1)))
        return np.log(-np.expm1(-lam)) - lam * (x - xmin) - log_mass

    lam = np.log1p(1 / (np.mean(x) - xmin))
    if xmax is not None:
        best = optimize.minimize_scalar(
            lambda log_lam: -np.sum(logpmf(np.exp(log_lam))), bounds=(-20, 5), method="bounded"
        )
        lam = np.exp(best.x)
    return logpmf(lam)


def _lognormal_logpmf(x, mu, sigma, xmin, xmax):
    """P(x) = [S(x) - S(x+1)] / [S(x_min) - S(x_max+1)], S the continuous lognormal
    survival function."""

    def log_sf(v):
        return special.log_ndtr(-(np.log(v) - mu) / sigma)

    def log_difference(a, b):  # log(S(a) - S(b)) for a < b
        upper, lower = log_sf(a), log_sf(b)
        return upper + np.log(-np.expm1(lower - upper))

    mass = log_sf(float(xmin)) if xmax is None else log_difference(float(xmin), xmax + 1.0)
    return log_difference(x, x + 1.0) - mass


def lognormal_logpmf(x, xmin, xmax=None):
    """Discrete lognormal with (mu, sigma) fitted by maximum likelihood."""
    logs = np.log(x)

    def cost(params):
        return -np.sum(_lognormal_logpmf(x, params[0], np.exp(params[1]), xmin, xmax))

    start = [logs.mean(), np.log(max(logs.std(), 0.1))]
    best = optimize.minimize(cost, start, method="Nelder-Mead", options={"xatol": 1e-6})
    return _lognormal_logpmf(x, best.x[0], np.exp(best.x[1]), xmin, xmax)


def _log_normaliser(log_term, log_tail, xmin, xmax):
    """log sum_{x_min <= k <= x_max} exp(log_term(k)): the first _SUM_TERMS terms
    explicitly, the rest as log_tail(a, b), the log of the integral over [a, b] of the
    continuous terms (the midpoint rule for the integers from a + 1/2)."""
    stop = xmin + _SUM_TERMS if xmax is None else min(xmin + _SUM_TERMS, xmax + 1)
    log_terms = log_term(np.arange(xmin, stop, dtype=np.float64))
    scale = log_terms.max()  # factored out so that nothing underflows
    head = np.sum(np.exp(log_terms - scale))
    if xmax is not None and stop > xmax:
        return scale + np.log(head)
    end = np.inf if xmax is None else xmax + 0.5
    with np.errstate(divide="ignore", over="ignore"):  # a tail too small to matter is 0
        tail = np.exp(log_tail(stop - 0.5, end) - scale)
    return scale + np.log(head + tail)


def cutoff_log_norm(alpha, lam, xmin, xmax=None):
    """log sum k^-alpha e^(-lam k) over [x_min, x_max]: the rest beyond the explicit terms
    exactly as Hurwitz zetas when lam = 0, else as its integral in log x (where it is smooth)."""

    def log_tail(a, b):
        if lam == 0:
            start = a + 0.5
            mass = special.zeta(alpha, start) - (0 if b == np.inf else special.zeta(alpha, b + 0.5))
            return np.log(mass)
        value, _ = integrate.quad(
            lambda t: np.exp((1 - alpha) * t - lam * np.exp(t)), np.log(a), np.log(b)
        )
        return np.log(value)

    return _log_normaliser(lambda k: -alpha * np.log(k) - lam * k, log_tail, xmin, xmax)


def fit_cutoff(x, alpha_start, xmin, xmax=None):
    """(alpha, lam) of the power law with exponential cutoff, P(x) ~ x^-alpha e^(-lam x), by
    maximum likelihood; it nests the power law (lam = 0), so its optimum starts there."""
    logs, total = np.log(x), np.sum(x)

    def cost(params):
        alpha, lam = params
        return alpha * logs.sum() + lam * total + len(x) * cutoff_log_norm(alpha, lam, xmin, xmax)

    best = optimize.minimize(
        cost,
        [alpha_start, 1 / np.mean(x) / 10],
        method="L-BFGS-B",
        bounds=[(1 + 1e-6, 30.0), (0.0, 10.0)],
    )
    return tuple(float(v) for v in best.x)


def cutoff_logpmf(x, alpha_start, xmin, xmax=None, fitted=None):
    """log P(x) of the cutoff law fitted to x (`fitted`: its (alpha, lam), if known)."""
    alpha, lam = fitted or fit_cutoff(x, alpha_start, xmin, xmax)
    return -alpha * np.log(x) - lam * x - cutoff_log_norm(alpha, lam, xmin, xmax)


def stretched_log_norm(beta, lam, xmin, xmax=None):
    """log sum k^(beta-1) e^(-lam k^beta) over [x_min, x_max]. Beyond the explicit terms the
    integral is closed: int x^(beta-1) e^(-lam x^beta) dx = -e^(-lam x^beta) / (lam beta)."""

    def log_tail(a, b):
        upper = -lam * a**beta
        lower = -np.inf if b == np.inf else -lam * b**beta
        return upper + np.log(-np.expm1(lower - upper)) - np.log(lam * beta)

    return _log_normaliser(lambda k: (beta - 1) * np.log(k) - lam * k**beta, log_tail, xmin, xmax)


def stretched_exponential_logpmf(x, xmin, xmax=None):
    """Discrete stretched exponential (Weibull), P(x) ~ x^(beta-1) e^(-lam x^beta) on
    [x_min, x_max] (CSN table 2.1), (beta, lam) by maximum likelihood."""
    logs = np.log(x)

    def logpmf(beta, lam):
        return (beta - 1) * logs - lam * x**beta - stretched_log_norm(beta, lam, xmin, xmax)

    def cost(params):
        return -np.sum(logpmf(np.exp(params[0]), np.exp(params[1])))

    start = [np.log(0.5), -np.log(np.mean(np.sqrt(x)))]  # beta = 1/2, lam from its moment
    best = optimize.minimize(cost, start, method="Nelder-Mead", options={"xatol": 1e-6})
    return logpmf(np.exp(best.x[0]), np.exp(best.x[1]))


def vuong(log_a, log_b):
    """CSN eq. 5.1-5.4: log-likelihood ratio R (> 0 favours a) and the two-sided p-value of
    its sign under the normal approximation."""
    diff = log_a - log_b
    ratio = diff.sum()
    spread = np.sqrt(len(diff) * diff.var())
    p = 1.0 if spread == 0 else float(special.erfc(abs(ratio) / (np.sqrt(2) * spread)))
    return float(ratio), p


def compare(tail, alpha, xmin, xmax=None, cutoff=None):
    """{name: (R, p)} of the power law against each alternative (R > 0 favours the power law).
    `cutoff`: the cutoff law's fitted (alpha, lam) (`fit_cutoff`), if already known."""
    tail = np.asarray(tail, np.float64)
    power = power_law_logpmf(tail, alpha, xmin, xmax)
    results = {
        "lognormal": vuong(power, lognormal_logpmf(tail, xmin, xmax)),
        "exponential": vuong(power, exponential_logpmf(tail, xmin, xmax)),
        "stretched_exponential": vuong(power, stretched_exponential_logpmf(tail, xmin, xmax)),
    }
    # Nested: the cutoff law contains the power law, so R <= 0 and -2R ~ chi2(1) (CSN app. C).
    ratio = min(0.0, float(np.sum(power - cutoff_logpmf(tail, alpha, xmin, xmax, cutoff))))
    results["cutoff"] = (ratio, float(stats.chi2.sf(-2 * ratio, 1)))
    return {name: results[name] for name in ALTERNATIVES}
