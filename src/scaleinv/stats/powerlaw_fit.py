"""Discrete power-law fits after Clauset, Shalizi & Newman (2009), "CSN" below.

P(x) = x^-alpha / Z for integers x_min <= x <= x_max, Z = zeta(alpha, x_min) -
zeta(alpha, x_max + 1) (Hurwitz zeta; no x_max: Z = zeta(alpha, x_min)). For every
candidate x_min the MLE of alpha is found, and the x_min whose fit has the smallest
Kolmogorov-Smirnov distance is kept, unless x_min is given (x_min = 1 tests a claim about
the whole range). Everything is vectorised over the candidates, so one fit costs a few
milliseconds and a 1000-replicate bootstrap is affordable per layer.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
import numpy.typing as npt
from scipy import special

from scaleinv.errors import ScaleinvError
from scaleinv.stats.sequential import MonteCarloP, monte_carlo_p

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Indices = npt.NDArray[np.integer[Any]]
Gaps = Callable[[Indices, Indices], tuple[Floats, Floats]]  # (rows, cols) -> survivals

ALPHA_RANGE = (1.0 + 1e-3, 30.0)  # search interval for alpha; zeta diverges at alpha = 1
_STEP = 1e-4  # finite-difference step for derivatives of log zeta in alpha
SIGNIFICANCE = 0.1  # CSN: a power law is ruled out when the bootstrap p < 0.1


@dataclass(frozen=True)
class PowerLawFit:
    alpha: float
    se: float  # standard error of alpha
    xmin: int
    n_tail: int
    ks_d: float
    xmax: int | None = None  # the law's upper end; None: unbounded
    largest: int | None = None  # the tail's largest size (None: not recorded)

    @property
    def at_bound(self) -> bool:
        """Whether alpha stopped at an end of ALPHA_RANGE: no estimate, only the bound (a tail
        that does not decay, e.g. uniform sizes, drives alpha to the upper end)."""
        return bool(np.isclose(self.alpha, ALPHA_RANGE, rtol=0, atol=1e-6).any())

    @property
    def warnings(self) -> tuple[str, ...]:
        """Why this fit is not a fit of a power law, in words (empty: nothing to say): alpha
        at a search bound, a law over less than a decade (an x_max, or the tail's own
        largest size, under 10 x_min), or a standard error that is not finite."""
        found: list[str] = []
        if self.at_bound:
            found.append(
                f"alpha = {self.alpha:.4f} is a bound of the search (ALPHA_RANGE = "
                f"{ALPHA_RANGE[0]:g} to {ALPHA_RANGE[1]:g}), not an estimate: the tail from "
                f"x_min = {self.xmin} does not decay like a power law"
            )
        if self.xmax is not None and self.xmax < 10 * self.xmin:
            found.append(
                f"x_max = {self.xmax} is less than a decade above x_min = {self.xmin}: over so "
                "short a range a power law cannot be told from other laws"
            )
        elif self.largest is not None and self.largest < 10 * self.xmin:
            found.append(
                f"the tail spans less than a decade (x_min = {self.xmin} to its largest size, "
                f"{self.largest}): over so short a range a power law cannot be told from "
                "other laws"
            )
        if not np.isfinite(self.se):
            found.append(
                f"the standard error of alpha is not finite at x_min = {self.xmin}: k^-alpha "
                "leaves float64's range there, so alpha is no estimate"
            )
        return tuple(found)


@overload
def tail_mass(alpha: float, x: float, xmax: int | None = None) -> float: ...
@overload
def tail_mass(alpha: float | Floats, x: Floats | Ints, xmax: int | None = None) -> Floats: ...
@overload
def tail_mass(alpha: Floats, x: float | Floats | Ints, xmax: int | None = None) -> Floats: ...
def tail_mass(
    alpha: float | Floats, x: float | Floats | Ints, xmax: int | None = None
) -> float | Floats:
    """sum_{x <= k <= x_max} k^-alpha (vectorised; x_max None: to infinity)."""
    return _tail_mass(alpha, x, xmax)


def _tail_mass(alpha: float | Floats, x: float | Floats | Ints, xmax: int | None) -> float | Floats:
    total: float | Floats = special.zeta(alpha, x)
    return total if xmax is None else total - special.zeta(alpha, xmax + 1)


@overload
def log_norm(alpha: float, xmin: float, xmax: int | None = None) -> float: ...
@overload
def log_norm(alpha: Floats, xmin: float | Floats, xmax: int | None = None) -> Floats: ...
def log_norm(
    alpha: float | Floats, xmin: float | Floats, xmax: int | None = None
) -> float | Floats:
    """log Z, the log of the power law's normaliser over [x_min, x_max]."""
    return _log_norm(alpha, xmin, xmax)


def _log_norm(alpha: float | Floats, xmin: float | Floats, xmax: int | None) -> float | Floats:
    log_z: float | Floats = np.log(_tail_mass(alpha, xmin, xmax))
    return log_z


@overload
def _log_norm_slopes(alpha: float, xmin: float, xmax: int | None) -> tuple[float, float]: ...
@overload
def _log_norm_slopes(alpha: Floats, xmin: Floats, xmax: int | None) -> tuple[Floats, Floats]: ...
def _log_norm_slopes(
    alpha: float | Floats, xmin: float | Floats, xmax: int | None
) -> tuple[float | Floats, float | Floats]:
    """First and second derivative in alpha of log Z, by central differences."""
    up, mid, down = (_log_norm(alpha + d, xmin, xmax) for d in (_STEP, 0.0, -_STEP))
    return (up - down) / (2 * _STEP), (up - 2 * mid + down) / _STEP**2


def mle_alpha(
    xmin: float | npt.ArrayLike, mean_log: float | npt.ArrayLike, xmax: int | None = None
) -> Floats:
    """Discrete MLE of alpha for tails with the given x_min and mean log x (vectorised).

    The likelihood equation is -d/dalpha log Z(alpha) = mean log x (CSN eq. 3.5); log Z is
    a log-sum-exp of linear functions of alpha, hence convex, so safeguarded Newton steps
    inside a bracket converge.
    """
    xmins: Floats = np.asarray(xmin, np.float64)
    mean_logs: Floats = np.asarray(mean_log, np.float64)
    low = np.full_like(xmins, ALPHA_RANGE[0])
    high = np.full_like(xmins, ALPHA_RANGE[1])
    # CSN eq. 3.7 approximation as the starting point.
    alpha: Floats = np.clip(1 + 1 / (mean_logs - np.log(xmins - 0.5)), *ALPHA_RANGE)
    active = np.arange(len(alpha))
    for _ in range(100):
        a = alpha[active]
        slope, curvature = _log_norm_slopes(a, xmins[active], xmax)
        excess = slope + mean_logs[active]  # increasing in alpha; zero at the MLE
        high[active] = np.where(excess > 0, a, high[active])
        low[active] = np.where(excess <= 0, a, low[active])
        step = a - excess / curvature
        inside = (step > low[active]) & (step < high[active])
        alpha[active] = np.where(inside, step, (low[active] + high[active]) / 2)
        active = active[np.abs(alpha[active] - a) >= 1e-8]
        if len(active) == 0:
            break
    return alpha


def standard_error(alpha: float, xmin: float, n_tail: int, xmax: int | None = None) -> float:
    """CSN eq. 3.6: 1 / sqrt(n [Z''/Z - (Z'/Z)^2]) = 1 / sqrt(n d2/dalpha2 log Z)."""
    _, curvature = _log_norm_slopes(alpha, xmin, xmax)
    se: float = 1 / np.sqrt(n_tail * curvature)
    return se


def fit(
    sample: npt.ArrayLike,
    min_tail: int = 10,
    xmin: int | None = None,
    xmax: int | None = None,
    xmin_range: tuple[int, int] | None = None,
) -> PowerLawFit | None:
    """CSN fit of a positive-integer sample. Values above `xmax` are left out and the law is
    normalised up to it. x_min is `xmin` when given, else the distinct value (all but the
    largest, leaving >= min_tail points; within `xmin_range` = (low, high) if given) whose
    fit has the smallest KS distance; alpha by MLE (min_tail 10 as the workflow's default: a
    tail of two or three points has a small KS distance by chance). Returns None when no
    x_min qualifies (one distinct value, or too few tail points)."""
    sample = np.asarray(sample, np.int64)
    if xmax is not None:
        sample = sample[sample <= xmax]
    if xmin is not None:
        sample = sample[sample >= xmin]
    return fit_counts(*np.unique(sample, return_counts=True), min_tail, xmin, xmax, xmin_range)


def fit_counts(
    values: npt.ArrayLike,
    counts: npt.ArrayLike,
    min_tail: int = 10,
    xmin: int | None = None,
    xmax: int | None = None,
    xmin_range: tuple[int, int] | None = None,
) -> PowerLawFit | None:
    """`fit` of a sample given as its distinct values (increasing) and their counts (>= 1):
    the same fit, bit for bit, without expanding the sample (a bootstrap replicate of 10^7
    sizes has a few thousand distinct ones)."""
    sizes: Ints = np.asarray(values, np.int64)
    weights: Ints = np.asarray(counts, np.int64)
    keep = (sizes <= (np.inf if xmax is None else xmax)) & (sizes >= (xmin or 0))
    values, counts = sizes[keep], weights[keep]
    # Tail statistics for every x_min = values[i]: points at or above it and their sum of logs.
    n_tail = np.cumsum(counts[::-1])[::-1]
    log_sum = np.cumsum((counts * np.log(values))[::-1])[::-1]
    if xmin is None:
        starts = np.flatnonzero(n_tail[:-1] >= min_tail)  # index of each candidate x_min
        if xmin_range is not None:  # the `powerlaw` package's xmin=(low, high)
            low, high = xmin_range
            starts = starts[(values[starts] >= low) & (values[starts] <= high)]
        xmins = values[starts].astype(np.float64)
    else:
        starts = np.zeros(1 if len(values) > 1 and n_tail[0] >= min_tail else 0, np.int64)
        xmins = np.full(len(starts), float(xmin))
    if len(starts) == 0:
        return None
    alpha = mle_alpha(xmins, log_sum[starts] / n_tail[starts], xmax)
    distances = _ks_smallest(values, n_tail, starts, xmins, alpha, xmax)
    best = int(np.argmin(distances))
    return PowerLawFit(
        alpha=float(alpha[best]),
        se=float(standard_error(alpha[best], xmins[best], n_tail[starts[best]], xmax)),
        xmin=int(xmins[best]),
        n_tail=int(n_tail[starts[best]]),
        ks_d=float(distances[best]),
        xmax=xmax,
        largest=int(values[-1]),
    )


KS_CHUNK = 1 << 20  # runs of distinct values the KS scan refines at once: about 250 MB
_KS_SLACK = 1e-12  # a run is refined unless its bound is this far below the best: rounding
KS_SHORTLIST = 16  # candidates solved first to cap the smallest distance (`_ks_smallest`)
_KS_PROBES = 16  # values per candidate whose distances pick that shortlist
KS_PLAIN_PAIRS = 1 << 13  # fewer (candidate, value) pairs: the plain scan, in one go, is faster


def _ks_gaps(
    values: Ints, n_tail: Ints, starts: Ints, xmins: Floats, alpha: Floats, xmax: int | None
) -> Gaps:
    """The function that evaluates data minus fitted survival, P(X >= u | X >= x_min), for
    (candidate rows, value columns), each pair exactly as `_ks_distances_plain` does."""
    norm = tail_mass(alpha, xmins, xmax)

    def gaps(rows: Indices, cols: Indices) -> tuple[Floats, Floats]:
        data_sf = n_tail[cols] / n_tail[starts[rows]]
        fit_sf = tail_mass(alpha[rows], values[cols], xmax) / norm[rows]
        return data_sf, fit_sf

    return gaps


def _ks_distances(
    values: Ints,
    n_tail: Ints,
    starts: Ints,
    xmins: Floats,
    alpha: Floats,
    xmax: int | None,
    chunk: int = KS_CHUNK,
    cap: float = np.inf,
) -> Floats:
    """KS distance of each candidate's fit: max over distinct tail values u > x_min of
    |P_data(X >= u) - P_fit(X >= u)|, both conditional on X >= x_min (CSN sec. 3.3).
    values[starts[i]] is the smallest value at or above candidate i's x_min.

    Branch and bound over runs of distinct values, not every (candidate, value) pair: both
    survival functions fall as u grows, so inside a run from value index lo to hi the gap is
    at most max(S_data(lo) - S_fit(hi), S_fit(lo) - S_data(hi)). A run whose bound is below
    the largest gap found for its candidate cannot hold the maximum and is dropped; the
    others are halved and their midpoints evaluated. Every gap evaluated is computed as by
    `_ks_distances_plain`, and the maximum is one of them, so the distances are identical to
    the plain scan's (tests/test_powerlaw_fit.py); a sample's tail of n points costs about
    sqrt(n) evaluations per candidate instead of one per distinct value above it (10^5
    distinct sizes: 25 million zeta calls instead of 5 billion). At most `chunk` runs are
    refined at once, deepest first, so memory stays bounded.

    A finite `cap` gives up on a candidate as soon as one of its gaps exceeds it: its
    distance is then a lower bound above `cap` (`_ks_smallest`)."""
    gaps = _ks_gaps(values, n_tail, starts, xmins, alpha, xmax)
    last = len(values) - 1
    first = np.searchsorted(values, xmins, side="right")  # first value above each x_min
    rows = np.flatnonzero(first <= last)  # a candidate with no value above has distance 0
    lo, hi = first[rows], np.full(len(rows), last)
    (data_lo, fit_lo), (data_hi, fit_hi) = gaps(rows, lo), gaps(rows, hi)
    distances = np.zeros(len(starts))
    distances[rows] = np.maximum(np.abs(data_lo - fit_lo), np.abs(data_hi - fit_hi))
    runs: list[npt.NDArray[Any]] = [rows, lo, hi, data_lo, fit_lo, data_hi, fit_hi]  # a stack
    while len(runs[0]):
        cut = max(0, len(runs[0]) - chunk)
        popped = [column[cut:] for column in runs]
        runs = [column[:cut] for column in runs]
        rows, lo, hi, data_lo, fit_lo, data_hi, fit_hi = popped
        bound = np.maximum(data_lo - fit_hi, fit_lo - data_hi)
        best = distances[rows]
        open_ = (hi - lo > 1) & (bound > best - _KS_SLACK) & (best <= cap)
        rows, lo, hi, data_lo, fit_lo, data_hi, fit_hi = (column[open_] for column in popped)
        middle = (lo + hi) // 2
        data_mid, fit_mid = gaps(rows, middle)
        np.maximum.at(distances, rows, np.abs(data_mid - fit_mid))
        halves = zip(
            runs,
            (rows, lo, middle, data_lo, fit_lo, data_mid, fit_mid),
            (rows, middle, hi, data_mid, fit_mid, data_hi, fit_hi),
            strict=True,
        )
        runs = [np.concatenate(columns) for columns in halves]
    return distances


def _ks_smallest(
    values: Ints,
    n_tail: Ints,
    starts: Ints,
    xmins: Floats,
    alpha: Floats,
    xmax: int | None,
    chunk: int = KS_CHUNK,
) -> Floats:
    """`_ks_distances` where only the smallest matters (`fit`): exact for every candidate
    that may hold the minimum, a lower bound above it for the rest, so the minimum and its
    first index are the plain scan's. The few candidates whose gaps at _KS_PROBES values
    are smallest are solved first; their smallest distance caps the rest, most of which
    exceed it after a handful of gaps."""
    last = len(values) - 1
    first = np.minimum(np.searchsorted(values, xmins, side="right"), last)
    if (last - first).sum() <= KS_PLAIN_PAIRS:
        return _ks_distances_plain(values, n_tail, starts, xmins, alpha, xmax)
    if len(starts) <= KS_SHORTLIST:
        return _ks_distances(values, n_tail, starts, xmins, alpha, xmax, chunk)
    gaps = _ks_gaps(values, n_tail, starts, xmins, alpha, xmax)
    share = np.linspace(0, 1, _KS_PROBES)
    rows = np.repeat(np.arange(len(starts)), _KS_PROBES)
    cols = (first[:, None] + np.outer(last - first, share)).astype(np.int64).ravel()
    data_sf, fit_sf = gaps(rows, cols)
    probed = np.abs(data_sf - fit_sf).reshape(-1, _KS_PROBES).max(axis=1)
    few = np.argpartition(probed, KS_SHORTLIST)[:KS_SHORTLIST]
    cap = _ks_distances(values, n_tail, starts[few], xmins[few], alpha[few], xmax, chunk).min()
    return _ks_distances(values, n_tail, starts, xmins, alpha, xmax, chunk, cap)


def _ks_distances_plain(
    values: Ints, n_tail: Ints, starts: Ints, xmins: Floats, alpha: Floats, xmax: int | None
) -> Floats:
    """`_ks_distances` pair by pair, over all candidates at once (about D^2 / 2 pairs in
    memory and time): the reference the branch and bound is tested against."""
    first = np.searchsorted(values, xmins, side="right")  # first value above each x_min
    lengths = len(values) - first
    rows = np.repeat(np.arange(len(starts)), lengths)
    offsets = np.arange(len(rows)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    cols = first[rows] + offsets
    data_sf = n_tail[cols] / n_tail[starts[rows]]
    fit_sf = tail_mass(alpha[rows], values[cols], xmax) / tail_mass(alpha, xmins, xmax)[rows]
    distances = np.zeros(len(starts))
    np.maximum.at(distances, rows, np.abs(data_sf - fit_sf))
    return distances


def sample_power_law(
    alpha: float,
    xmin: int,
    size: int,
    rng: np.random.Generator,
    xmax: int | None = None,
    head: int = 64,
) -> Ints:
    """Exact draws from the discrete power law P(x) = x^-alpha / Z on [x_min, x_max].

    The first `head` values are drawn by inverting the tabulated CDF; the rest of the tail
    by rejection (CSN appendix D approximates instead).
    """
    top = xmin + head if xmax is None else min(xmin + head, xmax + 1)
    values = np.arange(xmin, top, dtype=np.float64)
    cdf = np.cumsum(values**-alpha) / tail_mass(alpha, xmin, xmax)
    if top == (xmax or 0) + 1:
        cdf[-1] = 1.0  # the table holds the whole law; rounding must not send draws past it
    u = rng.random(size)
    out = xmin + np.searchsorted(cdf, u, side="right").astype(np.int64)
    beyond = u >= cdf[-1]
    out[beyond] = _sample_tail(alpha, top, int(beyond.sum()), rng, xmax)
    return out


def _sample_tail(
    alpha: float, xmin: int, size: int, rng: np.random.Generator, xmax: int | None = None
) -> Ints:
    """Rejection from floor(Y), Y continuous Pareto on [x_min, inf) with the same exponent:
    the proposal mass of k is the integral of y^-alpha over [k, k+1), the target's k^-alpha,
    and their ratio is at most (1 + 1/x_min)^alpha, close to 1 for a large x_min. Draws
    above x_max are rejected too."""
    out = np.empty(0, np.int64)
    bound = (1 + 1 / xmin) ** alpha
    while len(out) < size:
        batch = 2 * (size - len(out)) + 16
        y = xmin * (1 - rng.random(batch)) ** (-1 / (alpha - 1))
        k = np.floor(y[y < 2**62])
        # integral_k^{k+1} y^-alpha dy = k^(1-alpha) (1 - (1 + 1/k)^(1-alpha)) / (alpha - 1)
        proposal = -(k ** (1 - alpha)) * np.expm1((1 - alpha) * np.log1p(1 / k)) / (alpha - 1)
        accept = (rng.random(len(k)) * bound * proposal <= k**-alpha) & (k <= (xmax or np.inf))
        out = np.concatenate([out, k[accept].astype(np.int64)])
    return out[:size]


HEAD_LIMIT = 1 << 14  # values a counted draw tabulates at most (`sample_power_law_counts`)


def sample_power_law_counts(
    alpha: float,
    xmin: int,
    size: int,
    rng: np.random.Generator,
    xmax: int | None = None,
    head: int | None = None,
) -> tuple[Ints, Ints]:
    """`size` exact draws from the discrete power law on [x_min, x_max], as (distinct values,
    counts), without drawing them one by one.

    The first `head` values of the law (default: `size`, within 64 and HEAD_LIMIT) get their
    counts from one multinomial draw whose last category is the rest of the law; the points
    that fall there, few (n P(X >= x_min + head)), are drawn one by one by `_sample_tail`,
    the law conditional on X >= x_min + head. Same law as `sample_power_law`, another
    stream."""
    if head is None:
        head = int(np.clip(size, 64, HEAD_LIMIT))
    top = xmin + head if xmax is None else min(xmin + head, xmax + 1)
    support = np.arange(xmin, top, dtype=np.int64)
    pmf = support.astype(np.float64) ** -alpha / tail_mass(alpha, xmin, xmax)
    if top == (xmax or 0) + 1:
        counts = rng.multinomial(size, pmf)  # the table holds the whole law: its last value
    else:  # takes up the rounding, as the last cdf entry of `sample_power_law`
        counts = rng.multinomial(size, np.append(pmf, 0.0))  # numpy: last = 1 - the others
        rest, counts = counts[-1], counts[:-1]
        if rest:
            extra = np.unique(_sample_tail(alpha, top, int(rest), rng, xmax), return_counts=True)
            support = np.concatenate([support, extra[0]])
            counts = np.concatenate([counts, extra[1]])
    drawn = counts > 0
    return support[drawn], counts[drawn]


def bootstrap_test(
    sample: npt.ArrayLike,
    observed: PowerLawFit,
    replicates: int,
    rng: np.random.Generator,
    min_tail: int = 10,
    threads: int = 1,
    fixed_xmin: bool = False,
    risk: float | None = None,
    xmin_range: tuple[int, int] | None = None,
) -> tuple[MonteCarloP, Floats]:
    """CSN sec. 4.1 semiparametric bootstrap: the KS distance of each replicate's refit, and
    the p-value, the fraction of replicates at least as far as the observed fit.

    Each replicate keeps the sample size, draws a tail point from the fitted power law with
    probability n_tail / n and otherwise resamples the observed values below x_min, and
    refits x_min and alpha; it is drawn and refitted as distinct sizes and their counts
    (`sample_power_law_counts`, a multinomial over the body's distinct sizes, `fit_counts`),
    so its cost follows the distinct sizes, not n (10^7 sizes: milliseconds, not a second).
    A replicate with no candidate x_min has distance inf (it counts as at least as far as
    the observed: conservative). A fit with a given x_min is refitted at that x_min, one
    with `xmin_range` within it; one with an x_max draws and refits below it.

    Replicates come from fixed child streams of `rng` (`scaleinv.stats.sequential`): the
    result does not depend on `threads`. `risk` None draws all `replicates` (the fixed test);
    a number stops as soon as the decision at SIGNIFICANCE is settled with that resampling
    risk. Returns (sequential.MonteCarloP, the replicates' distances).
    """
    with np.errstate(divide="ignore"):  # log(0): the law's normaliser underflowed
        log_z = log_norm(observed.alpha, observed.xmin, observed.xmax)
    if not np.isfinite(log_z):
        raise ScaleinvError(
            f"the fitted law (alpha = {observed.alpha:.4g} from x_min = {observed.xmin}) leaves "
            "float64's range (k^-alpha underflows), so no bootstrap can draw from it; this is "
            "no power-law fit (see its warnings)"
        )
    sample = np.asarray(sample, np.int64)
    refit_xmin = observed.xmin if fixed_xmin else None
    if observed.xmax is not None:
        sample = sample[sample <= observed.xmax]
    values, counts = np.unique(sample, return_counts=True)
    n = int(counts.sum())
    below = values < observed.xmin
    body, body_share = values[below], counts[below] / max(1, counts[below].sum())

    def distance(stream: np.random.Generator) -> float:
        # A replicate as distinct sizes and counts (issue 35 item 5): the tail's from the
        # law, the body's a multinomial over the observed body's distinct sizes.
        n_tail = stream.binomial(n, observed.n_tail / n)
        tail, tail_counts = sample_power_law_counts(
            observed.alpha, observed.xmin, n_tail, stream, observed.xmax
        )
        body_counts = stream.multinomial(n - n_tail, body_share) if len(body) else body
        drawn = body_counts > 0
        refit = fit_counts(
            np.concatenate([body[drawn], tail]),
            np.concatenate([body_counts[drawn], tail_counts]),
            min_tail,
            refit_xmin,
            observed.xmax,
            xmin_range,
        )
        return np.inf if refit is None else refit.ks_d

    return monte_carlo_p(
        distance, observed.ks_d, replicates, rng, SIGNIFICANCE, risk=risk, threads=threads
    )


def bootstrap_p_value(
    sample: npt.ArrayLike,
    observed: PowerLawFit,
    replicates: int,
    rng: np.random.Generator,
    min_tail: int = 10,
    threads: int = 1,
    fixed_xmin: bool = False,
    risk: float | None = None,
) -> float:
    """CSN sec. 4.1: the p-value of `bootstrap_test` (at most `replicates`; sequential when
    `risk` is given)."""
    return bootstrap_test(sample, observed, replicates, rng, min_tail, threads, fixed_xmin, risk)[
        0
    ].p
