"""Monte Carlo p-values that stop once their decision is settled.

A bootstrap p-value p = P(T* >= t) is estimated from replicates T*_1, T*_2, ... drawn in
rounds of ROUND, one replicate per child stream of the caller's generator, so the
replicates, and every decision, do not depend on the thread count. After each round, with
k exceedances (T* >= t) among n replicates, the test stops at the first of:

1. k >= h = the fewest exceedances with which the fixed test of `maximum` replicates passes
   (h / maximum >= level): Besag & Clifford (1991, Biometrika 78:301), p large. Exceedances
   only accumulate, so on the same stream the fixed test would pass too: same decision.
2. The one-sided Clopper-Pearson bound at risk / looks excludes the level (upper < level:
   reject; lower > level: pass): p small, or clearly large. A wrong decision needs the bound
   to miss the true p at one of the `looks` rounds, so the chance that the decision differs
   from the one with infinitely many replicates is at most `risk` (union bound over looks;
   the uniformly bounded resampling risk of Gandy 2009, JASA 104:1504, by a cruder boundary).
3. n = maximum: the fixed test.

The decision can differ from the fixed test's on the same stream only through 2, and only
when the true p is at or above the level (risk <= `risk`) or below it (then the fixed test
was the one in error). The estimate is k / n with a 95 % Clopper-Pearson interval (nominal:
not adjusted for the stopping). With `risk` None every replicate is drawn: the fixed test,
replicate for replicate the chunks a fixed-size bootstrap of `maximum` draws.
"""

import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

ROUND = 16  # child streams, one replicate each per round: fixed, so threads change nothing
INTERVAL = 0.95  # coverage of the reported Monte Carlo interval of p
PROGRESS_SECONDS = 30  # a long bootstrap logs how far it is at least this often (issue 25)

log = logging.getLogger(__name__)

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Boundary = tuple[
    int, int, int
]  # (replicates drawn, most exceedances that reject, fewest that pass)


@dataclass(frozen=True)
class MonteCarloP:
    p: float  # exceedances / replicates
    low: float  # its 95 % Clopper-Pearson interval
    high: float
    replicates: int  # replicates drawn before the decision settled
    exceedances: int


def clopper_pearson(k: int | npt.ArrayLike, n: int, tail: float) -> tuple[Floats, Floats]:
    """One-sided exact binomial bounds on p from k successes in n trials (k may be an array),
    each missing the true p with chance at most `tail` (Clopper & Pearson 1934):
    (lower, upper)."""
    return _lower(k, n, tail), _upper(k, n, tail)


def _beta_ppf(q: float, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> Floats:
    """scipy.stats.beta.ppf; imported here, as it costs 0.2 s of `import scaleinv.powerlaw`."""
    from scipy import stats

    return np.asarray(stats.beta.ppf(q, a, b), np.float64)


def _lower(k: int | npt.ArrayLike, n: int, tail: float) -> Floats:
    k = np.asarray(k)
    bound: Floats = np.where(k > 0, _beta_ppf(tail, np.maximum(k, 1), n - k + 1), 0.0)
    return bound


def _upper(k: int | npt.ArrayLike, n: int, tail: float) -> Floats:
    k = np.asarray(k)
    bound: Floats = np.where(k < n, _beta_ppf(1 - tail, k + 1, np.maximum(n - k, 1)), 1.0)
    return bound


def passing_count(maximum: int, level: float) -> int:
    """h: the fewest exceedances among `maximum` replicates with which p >= level."""
    counts = np.arange(maximum + 1)
    return int(np.argmax(counts / maximum >= level))  # the fixed test's own comparison


def per_stream(maximum: int) -> Ints:
    """Replicates of each child stream: the fixed test's chunks (np.linspace keeps them within
    one of each other). Its largest is the number of rounds, the looks."""
    return np.diff(np.linspace(0, maximum, ROUND + 1).astype(int))


def looks(maximum: int) -> Ints:
    """Replicates drawn by the end of each round (a look), as `monte_carlo_p` draws them."""
    chunks = per_stream(maximum)
    return np.cumsum([np.count_nonzero(chunks > look) for look in range(chunks.max())])


@functools.cache
def _table(maximum: int, level: float, risk: float) -> tuple[Ints, float, int, list[Boundary]]:
    """(replicates by each look, each look's tail risk, h, the boundaries built so far: a
    list that `boundary` extends look by look)."""
    drawn = looks(maximum)
    return drawn, risk / len(drawn), passing_count(maximum, level), []


def boundary(maximum: int, level: float, risk: float, look: int) -> Boundary:
    """The sequential test's stopping boundary at `look` (a round's end): (replicates drawn
    by then, most exceedances that reject, fewest that pass). Built when the test reaches
    it, from the look before: for a fixed k both Clopper-Pearson bounds fall as n grows, so
    neither boundary goes down from one look to the next, and each is found by testing a
    few k above the last one at once (`_last_true`, `_first_true`): a look costs about two
    vectorised quantile calls, whatever `maximum` (every look of 10^5: ~1 s, against 101 s
    by bisection one k at a time; the whole table built up front cost about maximum^2.5:
    benchmarks/bench_sequential.py). Identical to the plain construction (every k at every
    look; tests/test_sequential.py)."""
    drawn, tail, h, rows = _table(maximum, level, risk)
    while len(rows) <= look:
        n = int(drawn[len(rows)])
        rejects, passes = rows[-1][1:] if rows else (-1, 0)
        # upper(n) = 1 >= level: the largest k that rejects is below n
        rejects = _last_true(
            functools.partial(_rejects, n=n, tail=tail, level=level), rejects, n - 1
        )
        # k >= h passes (the fixed test would); n + 1: none does
        passes = _first_true(
            functools.partial(_passes, n=n, tail=tail, level=level), passes, min(h, n + 1)
        )
        rows.append((n, rejects, passes))
    return rows[look]


def _boundaries_plain(maximum: int, level: float, risk: float) -> list[Boundary]:
    """Every look's boundary from every exceedance count: the plain construction `boundary`
    must equal (tests), and the up-front table it replaced (benchmarks)."""
    drawn, tail, h, _ = _table(maximum, level, risk)
    rows = []
    for n in map(int, drawn):
        k = np.arange(n + 1)
        lower, upper = clopper_pearson(k, n, tail)
        rejects, passes = k[upper < level], k[(lower > level) | (k >= h)]
        rows.append((n, int(rejects.max(initial=-1)), int(passes.min(initial=n + 1))))
    return rows


def _rejects(k: Ints, n: int, tail: float, level: float) -> npt.NDArray[np.bool_]:
    """Whether k exceedances in n reject: the upper bound is below the level."""
    rejects: npt.NDArray[np.bool_] = _upper(k, n, tail) < level
    return rejects


def _passes(k: Ints, n: int, tail: float, level: float) -> npt.NDArray[np.bool_]:
    """Whether k exceedances in n pass by the bound: the lower bound is above the level."""
    passes: npt.NDArray[np.bool_] = _lower(k, n, tail) > level
    return passes


def _last_true(
    holds: Callable[[Ints], npt.NDArray[np.bool_]], low: int, high: int, width: int = 8
) -> int:
    """The largest k in (low, high] with holds(k), or low if none; holds is true up to some
    k and false above it. Tested in windows of `width` k at once, doubling."""
    while low < high:
        k = np.arange(low + 1, min(low + width, high) + 1)
        true = holds(k)
        if not true.all():
            return low + int(np.argmin(true))
        low, width = int(k[-1]), 2 * width
    return low


def _first_true(
    holds: Callable[[Ints], npt.NDArray[np.bool_]], low: int, high: int, width: int = 8
) -> int:
    """The smallest k in [low, high) with holds(k), or high if none; holds is false up to
    some k and true above it. Tested in windows of `width` k at once, doubling."""
    while low < high:
        k = np.arange(low, min(low + width, high))
        true = holds(k)
        if true.any():
            return int(k[np.argmax(true)])
        low, width = int(k[-1]) + 1, 2 * width
    return high


def monte_carlo_p(
    replicate: Callable[[np.random.Generator], float],
    observed: float,
    maximum: int,
    rng: np.random.Generator,
    level: float,
    risk: float | None = None,
    threads: int = 1,
) -> tuple[MonteCarloP, Floats]:
    """The Monte Carlo p-value of statistic `observed` (module docstring).

    Parameters
    ----------
    replicate : callable
        replicate(stream) -> the statistic of one replicate drawn from `stream` (a
        numpy.random.Generator); inf counts as an exceedance.
    observed : float
    maximum : int
        Replicates of the fixed test, and the most the sequential one draws.
    rng : numpy.random.Generator
        Split into ROUND child streams.
    level : float
        The significance level whose decision (p < level: reject) is to be settled.
    risk : float or None
        Resampling risk of the sequential test; None: the fixed test.
    threads : int

    Returns
    -------
    (MonteCarloP, numpy.ndarray)
        The p-value and the replicates' statistics, in round order.
    """
    streams = rng.spawn(ROUND)
    chunks = per_stream(maximum)
    values: list[float] = []
    k, since = 0, time.monotonic()
    # One thread: no pool, whose hand-offs cost more than a cheap replicate.
    with ThreadPoolExecutor(threads) if threads > 1 else nullcontext() as pool:
        for look in range(chunks.max()):
            active = [stream for stream, count in zip(streams, chunks, strict=True) if count > look]
            drawn = list((pool.map if pool else map)(replicate, active))
            values.extend(drawn)
            k += sum(value >= observed for value in drawn)
            if time.monotonic() - since >= PROGRESS_SECONDS:
                since = time.monotonic()
                share = len(values) / maximum
                log.info(
                    "bootstrap: %d of at most %d replicates (%.0f %%)",
                    len(values),
                    maximum,
                    100 * share,
                )
            if risk is not None:
                _, rejects, passes = boundary(maximum, level, risk, look)
                if not rejects < k < passes:
                    break
    statistics = np.asarray(values, np.float64)
    k, n = int(np.count_nonzero(statistics >= observed)), len(statistics)
    low, high = clopper_pearson(k, n, (1 - INTERVAL) / 2)
    return MonteCarloP(k / n, float(low), float(high), n, k), statistics
