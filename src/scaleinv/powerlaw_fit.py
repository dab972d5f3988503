"""Discrete power-law fits after Clauset, Shalizi & Newman (2009), "CSN" below.

P(x) = x^-alpha / zeta(alpha, x_min) for integers x >= x_min (Hurwitz zeta). For every
candidate x_min the MLE of alpha is found, and the x_min whose fit has the smallest
Kolmogorov-Smirnov distance is kept. Everything is vectorised over the candidates, so
one fit costs a few milliseconds and a 1000-replicate bootstrap is affordable per layer.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import special

ALPHA_RANGE = (1.0 + 1e-3, 30.0)  # search interval for alpha; zeta diverges at alpha = 1
_STEP = 1e-4  # finite-difference step for derivatives of log zeta in alpha
_BOOTSTRAP_CHUNKS = 16  # fixed, so that p-values do not depend on the thread count


@dataclass(frozen=True)
class PowerLawFit:
    alpha: float
    se: float  # standard error of alpha
    xmin: int
    n_tail: int
    ks_d: float


def log_zeta(alpha, xmin):
    return np.log(special.zeta(alpha, xmin))


def _log_zeta_slopes(alpha, xmin):
    """First and second derivative in alpha of log zeta(alpha, xmin), by central differences."""
    up, mid, down = (log_zeta(alpha + d, xmin) for d in (_STEP, 0.0, -_STEP))
    return (up - down) / (2 * _STEP), (up - 2 * mid + down) / _STEP**2


def mle_alpha(xmin, mean_log):
    """Discrete MLE of alpha for tails with the given x_min and mean log x (vectorised).

    The likelihood equation is -d/dalpha log zeta(alpha, x_min) = mean log x (CSN eq. 3.5);
    log zeta is convex in alpha, so safeguarded Newton steps inside a bracket converge.
    """
    xmin = np.asarray(xmin, np.float64)
    mean_log = np.asarray(mean_log, np.float64)
    low = np.full_like(xmin, ALPHA_RANGE[0])
    high = np.full_like(xmin, ALPHA_RANGE[1])
    # CSN eq. 3.7 approximation as the starting point.
    alpha = np.clip(1 + 1 / (mean_log - np.log(xmin - 0.5)), *ALPHA_RANGE)
    active = np.arange(len(alpha))
    for _ in range(100):
        a = alpha[active]
        slope, curvature = _log_zeta_slopes(a, xmin[active])
        excess = slope + mean_log[active]  # increasing in alpha; zero at the MLE
        high[active] = np.where(excess > 0, a, high[active])
        low[active] = np.where(excess <= 0, a, low[active])
        step = a - excess / curvature
        inside = (step > low[active]) & (step < high[active])
        alpha[active] = np.where(inside, step, (low[active] + high[active]) / 2)
        active = active[np.abs(alpha[active] - a) >= 1e-8]
        if len(active) == 0:
            break
    return alpha


def standard_error(alpha, xmin, n_tail):
    """CSN eq. 3.6: 1 / sqrt(n [zeta''/zeta - (zeta'/zeta)^2]) = 1 / sqrt(n d2/dalpha2 log zeta)."""
    _, curvature = _log_zeta_slopes(alpha, xmin)
    return 1 / np.sqrt(n_tail * curvature)


def fit(sample, min_tail=2):
    """CSN fit of a positive-integer sample: x_min by minimal KS distance over the distinct
    values (all but the largest, and only those leaving >= min_tail points), alpha by MLE.
    Returns None when no x_min qualifies (one distinct value, or too few tail points)."""
    values, counts = np.unique(np.asarray(sample, np.int64), return_counts=True)
    # Tail statistics for every x_min = values[i]: points at or above it and their sum of logs.
    n_tail = np.cumsum(counts[::-1])[::-1]
    log_sum = np.cumsum((counts * np.log(values))[::-1])[::-1]
    candidates = np.flatnonzero(n_tail[:-1] >= min_tail)
    if len(candidates) == 0:
        return None
    xmin = values[candidates].astype(np.float64)
    alpha = mle_alpha(xmin, log_sum[candidates] / n_tail[candidates])
    distances = _ks_distances(values, n_tail, candidates, alpha)
    best = int(np.argmin(distances))
    return PowerLawFit(
        alpha=float(alpha[best]),
        se=float(standard_error(alpha[best], xmin[best], n_tail[candidates[best]])),
        xmin=int(xmin[best]),
        n_tail=int(n_tail[candidates[best]]),
        ks_d=float(distances[best]),
    )


def _ks_distances(values, n_tail, candidates, alpha):
    """KS distance of each candidate's fit: max over distinct tail values u of
    |P_data(X >= u) - P_fit(X >= u)|, both conditional on X >= x_min (CSN sec. 3.3)."""
    lengths = len(values) - candidates - 1  # distinct values above each candidate
    rows = np.repeat(np.arange(len(candidates)), lengths)
    offsets = np.arange(len(rows)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    cols = candidates[rows] + 1 + offsets
    data_sf = n_tail[cols] / n_tail[candidates[rows]]
    fit_sf = special.zeta(alpha[rows], values[cols]) / special.zeta(alpha, values[candidates])[rows]
    distances = np.zeros(len(candidates))
    np.maximum.at(distances, rows, np.abs(data_sf - fit_sf))
    return distances


def sample_power_law(alpha, xmin, size, rng, head=64):
    """Exact draws from the discrete power law P(x) = x^-alpha / zeta(alpha, x_min).

    The first `head` values are drawn by inverting the tabulated CDF; the rest of the tail
    by rejection (CSN appendix D approximates instead).
    """
    values = np.arange(xmin, xmin + head, dtype=np.float64)
    cdf = np.cumsum(values**-alpha) / special.zeta(alpha, xmin)
    u = rng.random(size)
    out = xmin + np.searchsorted(cdf, u, side="right").astype(np.int64)
    beyond = u >= cdf[-1]
    out[beyond] = _sample_tail(alpha, xmin + head, int(beyond.sum()), rng)
    return out


def _sample_tail(alpha, xmin, size, rng):
    """Rejection from floor(Y), Y continuous Pareto on [x_min, inf) with the same exponent:
    the proposal mass of k is the integral of y^-alpha over [k, k+1), the target's k^-alpha,
    and their ratio is at most (1 + 1/x_min)^alpha, close to 1 for a large x_min."""
    out = np.empty(0, np.int64)
    bound = (1 + 1 / xmin) ** alpha
    while len(out) < size:
        batch = 2 * (size - len(out)) + 16
        y = xmin * (1 - rng.random(batch)) ** (-1 / (alpha - 1))
        k = np.floor(y[y < 2**62])
        # integral_k^{k+1} y^-alpha dy = k^(1-alpha) (1 - (1 + 1/k)^(1-alpha)) / (alpha - 1)
        proposal = -(k ** (1 - alpha)) * np.expm1((1 - alpha) * np.log1p(1 / k)) / (alpha - 1)
        accept = rng.random(len(k)) * bound * proposal <= k**-alpha
        out = np.concatenate([out, k[accept].astype(np.int64)])
    return out[:size]


def bootstrap_p_value(sample, observed, replicates, rng, min_tail=2, threads=1):
    """CSN sec. 4.1 semiparametric bootstrap: each replicate keeps the sample size, draws
    a tail point from the fitted power law with probability n_tail / n and otherwise
    resamples the observed values below x_min, refits x_min and alpha, and the p-value is
    the fraction of replicates whose KS distance is at least the observed one.

    Replicates run in fixed chunks, each with its own child stream of `rng`, on `threads`
    threads (scipy's zeta releases the GIL): the result does not depend on `threads`.
    """
    sample = np.asarray(sample, np.int64)
    body = sample[sample < observed.xmin]
    n = len(sample)

    def count(stream, replicates_in_chunk):
        at_least = 0
        for _ in range(replicates_in_chunk):
            n_tail = stream.binomial(n, observed.n_tail / n)
            synthetic = np.concatenate(
                [
                    sample_power_law(observed.alpha, observed.xmin, n_tail, stream),
                    stream.choice(body, n - n_tail) if len(body) else np.empty(0, np.int64),
                ]
            )
            refit = fit(synthetic, min_tail)
            # A replicate with no candidate x_min counts as at least as far (conservative).
            at_least += refit is None or refit.ks_d >= observed.ks_d
        return at_least

    chunks = np.diff(np.linspace(0, replicates, _BOOTSTRAP_CHUNKS + 1).astype(int))
    with ThreadPoolExecutor(threads) as pool:
        return sum(pool.map(count, rng.spawn(_BOOTSTRAP_CHUNKS), chunks)) / replicates
