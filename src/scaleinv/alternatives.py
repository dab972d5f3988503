"""Likelihood-ratio tests of a fitted discrete power law against alternatives on the same
tail x >= x_min (CSN 2009 sec. 5). Every alternative is discrete and normalised over the
integers >= x_min, as the power law is, so log-likelihoods are comparable.
"""

import numpy as np
from scipy import integrate, optimize, special, stats

ALTERNATIVES = ("lognormal", "exponential", "cutoff")  # the keys of `compare`
_SUM_TERMS = 1 << 14  # terms summed explicitly before the cutoff law's integral tail


def power_law_logpmf(x, alpha, xmin):
    return -alpha * np.log(x) - np.log(special.zeta(alpha, xmin))


def exponential_logpmf(x, xmin):
    """Geometric tail P(x) = (1 - e^-lam) e^(-lam (x - x_min)), lam by closed-form MLE."""
    lam = np.log1p(1 / (np.mean(x) - xmin))
    return np.log(-np.expm1(-lam)) - lam * (x - xmin)


def _lognormal_logpmf(x, mu, sigma, xmin):
    """P(x) = [S(x) - S(x+1)] / S(x_min), S the continuous lognormal survival function."""

    def log_sf(v):
        return special.log_ndtr(-(np.log(v) - mu) / sigma)

    upper, lower = log_sf(x), log_sf(x + 1.0)
    return upper + np.log(-np.expm1(lower - upper)) - log_sf(float(xmin))


def lognormal_logpmf(x, xmin):
    """Discrete lognormal with (mu, sigma) fitted by maximum likelihood."""
    logs = np.log(x)

    def cost(params):
        return -np.sum(_lognormal_logpmf(x, params[0], np.exp(params[1]), xmin))

    start = [logs.mean(), np.log(max(logs.std(), 0.1))]
    best = optimize.minimize(cost, start, method="Nelder-Mead", options={"xatol": 1e-6})
    return _lognormal_logpmf(x, best.x[0], np.exp(best.x[1]), xmin)


def _cutoff_log_norm(alpha, lam, xmin):
    """log sum_{k >= x_min} k^-alpha e^(-lam k): explicit terms, then the rest exactly as a
    Hurwitz zeta when lam = 0, else as its midpoint integral (in log x, where it is smooth)."""
    start = xmin + _SUM_TERMS
    k = np.arange(xmin, start, dtype=np.float64)
    log_terms = -alpha * np.log(k) - lam * k
    scale = log_terms[0]  # the largest term; factored out so that nothing underflows
    head = np.sum(np.exp(log_terms - scale))
    if lam == 0:
        with np.errstate(divide="ignore"):  # zeta may underflow to 0: no tail, as it should be
            tail = np.exp(np.log(special.zeta(alpha, start)) - scale)
        return scale + np.log(head + tail)
    with np.errstate(over="ignore"):  # exp(t) overflows far out, where the integrand is 0
        tail, _ = integrate.quad(
            lambda t: np.exp((1 - alpha) * t - lam * np.exp(t) - scale),
            np.log(start - 0.5),
            np.inf,
        )
    return scale + np.log(head + tail)


def cutoff_logpmf(x, alpha_start, xmin):
    """Power law with exponential cutoff, P(x) ~ x^-alpha e^(-lam x), by maximum likelihood;
    it nests the power law (lam = 0), so its optimum starts there."""
    logs, total = np.log(x), np.sum(x)

    def cost(params):
        alpha, lam = params
        return alpha * logs.sum() + lam * total + len(x) * _cutoff_log_norm(alpha, lam, xmin)

    best = optimize.minimize(
        cost,
        [alpha_start, 1 / np.mean(x) / 10],
        method="L-BFGS-B",
        bounds=[(1 + 1e-6, 30.0), (0.0, 10.0)],
    )
    alpha, lam = best.x
    return -alpha * logs - lam * x - _cutoff_log_norm(alpha, lam, xmin)


def vuong(log_a, log_b):
    """CSN eq. 5.1-5.4: log-likelihood ratio R (> 0 favours a) and the two-sided p-value of
    its sign under the normal approximation."""
    diff = log_a - log_b
    ratio = diff.sum()
    spread = np.sqrt(len(diff) * diff.var())
    p = 1.0 if spread == 0 else float(special.erfc(abs(ratio) / (np.sqrt(2) * spread)))
    return float(ratio), p


def compare(tail, alpha, xmin):
    """{name: (R, p)} of the power law against each alternative (R > 0 favours the power law)."""
    tail = np.asarray(tail, np.float64)
    power = power_law_logpmf(tail, alpha, xmin)
    results = {
        "lognormal": vuong(power, lognormal_logpmf(tail, xmin)),
        "exponential": vuong(power, exponential_logpmf(tail, xmin)),
    }
    # Nested: the cutoff law contains the power law, so R <= 0 and -2R ~ chi2(1) (CSN app. C).
    ratio = min(0.0, float(np.sum(power - cutoff_logpmf(tail, alpha, xmin))))
    results["cutoff"] = (ratio, float(stats.chi2.sf(-2 * ratio, 1)))
    return results
