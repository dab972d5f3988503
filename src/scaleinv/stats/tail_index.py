"""Tail-index estimators that assume a regularly varying tail, not an exact power law.

Hill (1975), moments (Dekkers, Einmahl & de Haan 1989, "DEdH") and kernel-type
(Groeneboom, Lopuhaä & de Wolf 2003, "GLdW") estimators of the extreme-value index gamma,
each at the number of order statistics kappa chosen by a double bootstrap (Danielsson,
de Haan, Peng & de Vries 2001, "DdHPdV"; Draisma, de Haan, Peng & Pereira 1999 for the
moments estimator; GLdW 2003 for the kernel), as Voitalov, van der Hoorn, van der Hofstad
& Krioukov (2019, "VvdHvdHK") apply them to integer degrees. Cluster sizes k with
P(K >= k) ~ k^-beta have gamma = 1/beta, so m(k) ~ k^(-beta-1).

Integer sizes are jittered first (VvdHvdHK 2019): ties among order statistics
break the spacings these estimators average, and U(-1/2, 1/2) noise removes them without
moving any value across an integer boundary. Order statistics at or below `floor` (the
singletons by default) are kept out of the bootstrap's search for kappa, as VvdHvdHK's
"AMSE border" does: the mass at k = 1 says nothing about the tail.

Speed: a bootstrap sample is never built or sorted. Its draws above the floor are drawn
directly (how many, then which) as repeat counts of the sorted data, every statistic is a
cumulative sum over those counts read at a geometric grid of kappa, and replicates run in
2-D blocks. The whole sample is the same computation with all counts one; the plain
formulas over a materialised sorted sample are in tests/test_tail_index.py.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from scaleinv.errors import ScaleinvError

METHODS = ("hill", "moments", "kernel")  # of `estimate`
_MIN_DEPTH = 10  # order statistics above the floor a bootstrap sample needs for a search
_BLOCK = 32  # bootstrap replicates per 2-D block: bounds memory, does not change results
_FALSE_MINIMUM_STEP = 0.005  # VvdHvdHK's shift of the search start, as a fraction of n
_BIWEIGHT = (15 / 8, -30 / 8, 15 / 8)  # K(v) = 15/8 (1 - v^2)^2, coefficients of v^0, v^2, ...
_TRIWEIGHT = (35 / 16, -105 / 16, 105 / 16, -35 / 16)  # K(v) = 35/16 (1 - v^2)^3


Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
# A method's statistic: (estimates, the bootstrap's term) at each kappa, rows of repeat counts
Statistic = Callable[[Floats, Ints, Ints, int, float], tuple[Floats, Floats]]
# A method's constant: kappa at n from the two bootstrap minimisers (k1, k2), n1 and the logs
Constant = Callable[[int, int, int, Floats], float]


@dataclass(frozen=True)
class TailIndex:
    method: str
    beta: float  # 1 / gamma: the exponent of P(K >= k)
    gamma: float  # extreme-value index at kappa
    kappa: int  # order statistics used, chosen by the double bootstrap
    n: int  # sample size
    n_tail: int  # sizes above the floor


def jitter(sizes: npt.ArrayLike, rng: np.random.Generator) -> Floats:
    """Validated integer sizes plus U(-1/2, 1/2) noise each (VvdHvdHK 2019)."""
    sizes = np.asarray(sizes)
    if sizes.ndim != 1 or len(sizes) == 0:
        raise ScaleinvError(
            f"tail index needs a non-empty 1-D array of cluster sizes (got shape {sizes.shape})"
        )
    if sizes.dtype.kind not in "iuf" or not np.all(np.isfinite(sizes)):
        raise ScaleinvError(f"cluster sizes must be finite numbers (got dtype {sizes.dtype})")
    bad = sizes[(sizes != np.round(sizes)) | (sizes < 1)]
    if len(bad):
        raise ScaleinvError(
            f"cluster sizes must be positive integers (got {bad[0].item()}); pass counts k >= 1"
        )
    return sizes.astype(np.float64) + rng.uniform(-0.5, 0.5, len(sizes))


def _positions(
    cumulative: Ints, targets: Ints, side: Literal["left", "right"]
) -> npt.NDArray[np.intp]:
    """Row-wise searchsorted of `targets` in the rows of a nondecreasing 2-D array."""
    rows: int
    width: int
    rows, width = cumulative.shape
    row = np.arange(rows)[:, None]
    offset = row * (int(cumulative[:, -1].max()) + 1)  # makes the rows one sorted array
    flat = (cumulative + offset).ravel()
    return np.searchsorted(flat, targets[None, :] + offset, side) - row * width


def log_moments(logs: Floats, counts: Ints, kappa: Ints) -> tuple[Floats, Floats, Floats]:
    """M_j(kappa) = 1/kappa sum_{i <= kappa} (log X_(i) - log X_(kappa+1))^j, j = 1, 2, 3
    (DEdH 1989), for samples given as repeat counts (rows) of descending `logs`.

    Expanded binomially over sums of log^p; the copies of the value holding X_(kappa) beyond
    kappa are taken off its cumulative sum. Logs are shifted to end at zero, which leaves
    M_j unchanged and the terms small.
    """
    logs = logs - logs[-1]
    cumulative = np.cumsum(counts, axis=1)
    row = np.arange(len(counts))[:, None]
    at = _positions(cumulative, kappa, "left")  # the value of X_(kappa)
    last = logs[_positions(cumulative, kappa + 1, "left")]  # log X_(kappa+1)
    surplus = cumulative[row, at] - kappa
    c1, c2, c3 = (
        (np.cumsum(counts * logs**p, axis=1)[row, at] - surplus * logs[at] ** p) / kappa
        for p in (1, 2, 3)
    )
    m1 = c1 - last
    m2 = c2 - 2 * last * c1 + last**2
    m3 = c3 - 3 * last * c2 + 3 * last**2 * c1 - last**3
    return m1, m2, m3


def hill(
    logs: Floats, counts: Ints, kappa: Ints, n: int, alpha: float | None
) -> tuple[Floats, Floats]:
    """Hill (1975) estimates gamma = M_1 at each kappa, and DdHPdV 2001's M_2 - 2 M_1^2,
    whose bootstrap mean square is minimised at a kappa proportional to Hill's best."""
    m1, m2, _ = log_moments(logs, counts, kappa)
    return m1, m2 - 2 * m1**2


def moments(
    logs: Floats, counts: Ints, kappa: Ints, n: int, alpha: float | None
) -> tuple[Floats, Floats]:
    """DEdH 1989 moments estimates at each kappa, and their difference from Draisma et al.
    1999's second estimator, whose bootstrap mean square selects kappa."""
    m1, m2, m3 = log_moments(logs, counts, kappa)
    with np.errstate(divide="ignore", invalid="ignore"):
        gamma = m1 + 1 - 0.5 / (1 - m1**2 / m2)  # DEdH 1989
        other = np.sqrt(m2 / 2) + 1 - (2 / 3) / (1 - m1 * m2 / m3)  # Draisma et al. 1999
        return gamma, gamma - other


def spacing_sums(logs: Floats, counts: Ints, kappa: Ints, n: int, alpha: float) -> Floats:
    """T_e(kappa) = sum_{i <= kappa} (i / n)^e (log X_(i) - log X_(i+1)) for e = 1, 3, 5, 7,
    alpha, alpha + 2, alpha + 4, alpha + 6, samples as in `log_moments`; shape (8, rows,
    kappas).

    Equal copies have zero spacing, so only the step from a value's last copy (at position
    C_j, the cumulative count) to the next value counts: T_e = sum_{C_j <= kappa} (C_j/n)^e
    (logs_j - logs_(j+1)). Powers of u step by u^2, so only u^alpha needs `power`.
    """
    cumulative = np.cumsum(counts, axis=1)[:, :-1]
    u = cumulative / n
    square = u * u
    steps = logs[:-1] - logs[1:]
    used = _positions(cumulative, kappa, "right") - 1  # last value j with C_j <= kappa
    row = np.arange(len(counts))[:, None]
    out = np.empty((8, len(counts), len(kappa)))
    for first, weights in ((0, u * steps), (4, np.power(u, alpha) * steps)):
        for e in range(first, first + 4):
            out[e] = np.where(used >= 0, np.cumsum(weights, axis=1)[row, used], 0.0)
            weights *= square
    return out


def _kernel(
    sums: Floats, kappa: Ints, n: int, alpha: float, coefficients: tuple[float, ...]
) -> Floats:
    """GLdW 2003 kernel-type estimate with bandwidth h = kappa / n, for a kernel
    K(v) = sum_j c_j v^(2j) on [0, 1], K_h(u) = K(u / h) / h, u_i = i / n and spacings d_i:
    gamma = sum_i u_i K_h(u_i) d_i - 1 + q2 / q1, q1 = sum_i u_i^alpha K_h(u_i) d_i,
    q2 = sum_i [u^(alpha+1) K_h(u)]'(u_i) d_i (GLdW 2003). `sums` are
    `spacing_sums` at exponents 1, 3, 5, 7 and alpha, alpha + 2, alpha + 4, alpha + 6."""
    h = kappa / n
    positive: Any  # 0.0, then arrays: sums[j] broadcasts
    q1: Any
    q2: Any
    positive = q1 = q2 = 0.0
    for j, c in enumerate(coefficients):
        scale = c / h ** (2 * j + 1)
        positive = positive + scale * sums[j]
        q1 = q1 + scale * sums[4 + j]
        q2 = q2 + (alpha + 2 * j + 1) * scale * sums[4 + j]
    with np.errstate(divide="ignore", invalid="ignore"):
        gamma: Floats = positive - 1 + q2 / q1
        return gamma


def kernel(logs: Floats, counts: Ints, kappa: Ints, n: int, alpha: float) -> tuple[Floats, Floats]:
    """Biweight kernel-type estimates (GLdW 2003) with bandwidth kappa / n, and their
    difference from the triweight's, whose bootstrap mean square selects the bandwidth."""
    sums = spacing_sums(logs, counts, kappa, n, alpha)
    gamma = _kernel(sums, kappa, n, alpha, _BIWEIGHT)
    with np.errstate(invalid="ignore"):
        return gamma, gamma - _kernel(sums, kappa, n, alpha, _TRIWEIGHT)


def _hill_constant(k1: int, k2: int, n1: int, logs: Floats) -> float:
    """DdHPdV 2001: kappa = k1^2 / k2 (log k1 / (2 log n1 - log k1))^(2 (log n1 -
    log k1) / log n1)."""
    a, b = np.log(k1), np.log(n1)
    kappa: float = k1**2 / k2 * (a / (2 * b - a)) ** (2 * (b - a) / b)
    return kappa


def _moments_constant(k1: int, k2: int, n1: int, logs: Floats) -> float:
    """Draisma et al. 1999: kappa = k1^2 / k2 (V^2 bbar^2 / (Vbar^2 b^2))^(1 / (1 -
    2 rho)), rho = log k1 / (2 log k1 - 2 log n1), the variances and biases at the pilot
    moments estimate gamma (at kappa = sqrt n) in the three ranges of gamma and rho."""
    rho = np.log(k1) / (2 * np.log(k1) - 2 * np.log(n1))
    pilot = np.array([int(np.sqrt(len(logs)))])
    g = moments(logs, np.ones((1, len(logs)), np.int64), pilot, len(logs), None)[0][0, 0]
    if g >= 0:
        v2, vbar2 = 1 + g**2, 0.25 * (1 + g**2)
    else:
        v2 = (1 - g) ** 2 * (1 - 2 * g) * (6 * g**2 - g + 1) / ((1 - 3 * g) * (1 - 4 * g))
        vbar2 = (
            0.25
            * (1 - g) ** 2
            * (1 - 8 * g + 48 * g**2 - 154 * g**3 + 263 * g**4 - 222 * g**5 + 72 * g**6)
            / ((1 - 2 * g) * (1 - 3 * g) * (1 - 4 * g) * (1 - 5 * g) * (1 - 6 * g))
        )
    if g < rho:
        b = (1 - g) * (1 - 2 * g) / ((1 - rho - g) * (1 - rho - 2 * g))
        bbar = -0.5 * rho * (1 - g) ** 2 / ((1 - g - rho) * (1 - 2 * g - rho) * (1 - 3 * g - rho))
    elif g < 0:
        b = 1 / (1 - g)
        bbar = (1 - 2 * g - np.sqrt((1 - g) * (1 - 2 * g))) / ((1 - g) * (1 - 2 * g))
    else:
        b = g / (rho * (1 - rho)) + 1 / (1 - rho) ** 2
        bbar = -(rho + g * (1 - rho)) / (2 * (1 - rho) ** 3)
    kappa: float = k1**2 / k2 * (v2 * bbar**2 / (vbar2 * b**2)) ** (1 / (1 - 2 * rho))
    return kappa


def _kernel_constant(k1: int, k2: int, n1: int, logs: Floats) -> float:
    """GLdW 2003 (as VvdHvdHK 2019 use it): h = h1^2 / h2 A, A = (143 (log n1 + log
    h1)^2 / (3 (log n1 - 13 log h1)^2))^(-log h1 / log n1); h_i = k_i / n_i, n2 = n1^2 / n."""
    n = len(logs)
    h1, h2 = k1 / n1, k2 / (n1**2 / n)
    a, b = np.log(h1), np.log(n1)
    constant = (143 * (b + a) ** 2 / (3 * (b - 13 * a) ** 2)) ** (-a / b)
    kappa: float = n * h1**2 / h2 * constant
    return kappa


_METHODS: dict[
    str, tuple[Statistic, Constant]
] = {  # name -> (statistic, constant), signatures as in `hill` and `_hill_constant`
    "hill": (hill, _hill_constant),
    "moments": (moments, _moments_constant),
    "kernel": (kernel, _kernel_constant),
}


def _bootstrap_mean_square(
    top_logs: Floats,
    n: int,
    size: int,
    hits: Ints,
    statistic: Statistic,
    kappas: Ints,
    alpha: float,
    rng: np.random.Generator,
) -> Floats:
    """Mean over replicates of the statistic's bootstrap term squared at each kappa, for
    bootstrap samples of `size` from n data whose top values `top_logs` are given.

    A replicate's draws among the top m values number hits[r] ~ Binomial(size, m / n) and
    are uniform over them, so their repeat counts are its top order statistics, sorted.
    """
    m = len(top_logs)
    total, count = np.zeros(len(kappas)), np.zeros(len(kappas))
    for start in range(0, len(hits), _BLOCK):
        block = hits[start : start + _BLOCK]
        rows = np.repeat(np.arange(len(block)), block)
        picks = rows * m + rng.integers(0, m, int(block.sum()))
        counts = np.bincount(picks, minlength=len(block) * m).reshape(len(block), m)
        _, term = statistic(top_logs, counts, kappas, size, alpha)
        finite = np.isfinite(term)
        total += (np.where(finite, term, 0.0) ** 2).sum(axis=0)
        count += finite.sum(axis=0)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def estimate(
    sizes: npt.ArrayLike, method: str, rng: np.random.Generator, **options: Any
) -> TailIndex | None:
    """Tail index of integer cluster sizes by one estimator, kappa by its double bootstrap.

    Parameters
    ----------
    sizes : array_like of int
        Cluster sizes k >= 1, one per cluster.
    method : {"hill", "moments", "kernel"}
        Hill (1975), moments (DEdH 1989) or biweight kernel-type (GLdW 2003) estimator.
    rng : numpy.random.Generator
        Draws the jitter and the bootstrap samples; the same seed gives the same result.
    **options
        Passed to the double bootstrap: see `estimate_all`.

    Returns
    -------
    TailIndex or None
        None when too few sizes lie above `floor` for the bootstrap to search kappa.
    """
    if method not in _METHODS:
        raise ScaleinvError(f"unknown tail-index method {method!r}; use one of {METHODS}")
    return _double_bootstrap(jitter(sizes, rng), method, rng, **options)


def estimate_all(
    sizes: npt.ArrayLike, rng: np.random.Generator, **options: Any
) -> dict[str, TailIndex | None]:
    """All three estimators on one jittered sample, so that they differ by method alone.

    Parameters
    ----------
    sizes : array_like of int
        Cluster sizes k >= 1, one per cluster.
    rng : numpy.random.Generator
        Draws the jitter and the bootstrap samples; the same seed gives the same result.
    replicates : int, default 100
        Bootstrap samples at each of the two sizes. VvdHvdHK use 500; the cost is linear
        in it (at 100, 0.2-0.55 s of CPU per estimator for 60,000 sizes).
    second : float, default 0.5
        The second bootstrap's size as a fraction of n: n2 = second n, n1 = sqrt(n n2), so
        that n2 = n1^2 / n as DdHPdV 2001 require.
    floor : int, default 1
        Sizes at or below it are left out of the search for kappa.
    alpha : float, default 0.6
        The kernel estimator's exponent (GLdW 2003 need alpha > 1/2).
    grid : int, default 1000
        Points of the geometric grid of kappa (1 to the depth above the floor) searched by
        the bootstrap; consecutive points differ by under 1 % at n = 60,000.

    Returns
    -------
    dict of str to TailIndex or None
        Keyed by method, in the order of `METHODS`.
    """
    jittered = jitter(sizes, rng)
    return {method: _double_bootstrap(jittered, method, rng, **options) for method in METHODS}


def hill_drift(sizes: npt.ArrayLike, rng: np.random.Generator) -> float:
    """beta_Hill(kappa = n/100) / beta_Hill(kappa = n/10) - 1 on the jittered sizes (NaN below
    1,000 sizes): over a decade of kappa a regularly varying tail keeps the Hill estimate
    level within its noise (sd ~7 % at kappa = 200), while a lognormal's local slope
    steepens into the tail, so its beta at the smaller kappa is larger."""
    sizes = np.asarray(sizes)
    n = len(sizes)
    if n < 1000:
        return np.nan
    logs = np.log(np.sort(jitter(sizes, rng))[::-1])
    gamma, _ = hill(logs, np.ones((1, n), np.int64), np.array([n // 100, n // 10]), n, None)
    return float(gamma[0, 1] / gamma[0, 0] - 1)


def _double_bootstrap(
    jittered: Floats,
    method_name: str,
    rng: np.random.Generator,
    replicates: int = 100,
    second: float = 0.5,
    floor: int = 1,
    alpha: float = 0.6,
    grid: int = 200,
) -> TailIndex | None:
    """DdHPdV 2001: kappa minimising the bootstrap mean square of the method's term at
    sizes n1 and n2 = n1^2 / n (k1, k2), extrapolated to n by the method's constant."""
    if replicates < 1 or not 0 < second < 1:
        raise ScaleinvError(
            f"tail-index bootstrap needs replicates >= 1 and 0 < second < 1 "
            f"(got {replicates}, {second})"
        )
    statistic, constant = _METHODS[method_name]
    logs = np.log(np.sort(jittered)[::-1])
    n = len(logs)
    n_tail = int(np.sum(jittered > floor + 0.5))  # jitter never crosses an integer's +-1/2
    n2 = int(second * n)
    n1 = int(np.sqrt(n * n2))
    curves = []
    for size in (n1, n2):
        hits = rng.binomial(size, n_tail / n, replicates)
        depth = int(hits.min())  # order statistics above the floor in every replicate
        if depth < _MIN_DEPTH:
            return None
        kappas = np.unique(np.geomspace(1, depth - 1, grid).astype(np.int64))
        mse = _bootstrap_mean_square(logs[:n_tail], n, size, hits, statistic, kappas, alpha, rng)
        curves.append((kappas, mse))
    found = _minima(*curves, step=max(1, int(_FALSE_MINIMUM_STEP * n)))
    if found is None:
        return None
    kappa = constant(*found, n1, logs)
    if not np.isfinite(kappa):
        return None
    kappa = int(np.clip(np.round(kappa), 1, n_tail - 1))  # never into the excluded floor
    gamma = float(statistic(logs, np.ones((1, n), np.int64), np.array([kappa]), n, alpha)[0][0, 0])
    return TailIndex(
        method=method_name,
        beta=1 / gamma if gamma > 0 else np.inf,
        gamma=gamma,
        kappa=kappa,
        n=n,
        n_tail=n_tail,
    )


def _minima(
    first: tuple[Ints, Floats], second: tuple[Ints, Floats], *, step: int
) -> tuple[int, int] | None:
    """(k1, k2), the minimisers of the two mean-square curves. k2 >= k1 marks a false
    minimum at small kappa (VvdHvdHK 2019): the search then starts `step` higher, until
    k2 < k1 or no kappa is left (None)."""
    (kappas1, mse1), (kappas2, mse2) = first, second
    low = 1
    while low <= min(kappas1[-1], kappas2[-1]):
        keep1, keep2 = (kappas1 >= low) & np.isfinite(mse1), (kappas2 >= low) & np.isfinite(mse2)
        if not keep1.any() or not keep2.any():
            return None
        k1 = kappas1[keep1][np.argmin(mse1[keep1])]
        k2 = kappas2[keep2][np.argmin(mse2[keep2])]
        if k2 < k1:
            return int(k1), int(k2)
        low += step
    return None
