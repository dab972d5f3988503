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
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np
from scipy import stats

ROUND = 16  # child streams, one replicate each per round: fixed, so threads change nothing
INTERVAL = 0.95  # coverage of the reported Monte Carlo interval of p
PROGRESS_SECONDS = 30  # a long bootstrap logs how far it is at least this often (issue 25)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MonteCarloP:
    p: float  # exceedances / replicates
    low: float  # its 95 % Clopper-Pearson interval
    high: float
    replicates: int  # replicates drawn before the decision settled
    exceedances: int


def clopper_pearson(k, n, tail):
    """One-sided exact binomial bounds on p from k successes in n trials (k may be an array),
    each missing the true p with chance at most `tail` (Clopper & Pearson 1934):
    (lower, upper)."""
    k = np.asarray(k)
    lower = np.where(k > 0, stats.beta.ppf(tail, np.maximum(k, 1), n - k + 1), 0.0)
    upper = np.where(k < n, stats.beta.ppf(1 - tail, k + 1, np.maximum(n - k, 1)), 1.0)
    return lower, upper


def passing_count(maximum, level):
    """h: the fewest exceedances among `maximum` replicates with which p >= level."""
    counts = np.arange(maximum + 1)
    return int(np.argmax(counts / maximum >= level))  # the fixed test's own comparison


def per_stream(maximum):
    """Replicates of each child stream: the fixed test's chunks (np.linspace keeps them within
    one of each other). Its largest is the number of rounds, the looks."""
    return np.diff(np.linspace(0, maximum, ROUND + 1).astype(int))


@functools.cache
def boundaries(maximum, level, risk):
    """The sequential test's stopping boundaries, one row per look (the end of a round):
    (replicates drawn by then, most exceedances that reject, fewest that pass)."""
    chunks = per_stream(maximum)
    drawn = [int(np.minimum(chunks, look + 1).sum()) for look in range(chunks.max())]
    h = passing_count(maximum, level)
    rows = []
    for n in drawn:
        k = np.arange(n + 1)
        lower, upper = clopper_pearson(k, n, risk / len(drawn))
        rejects, passes = k[upper < level], k[(lower > level) | (k >= h)]
        rows.append((n, int(rejects.max(initial=-1)), int(passes.min(initial=n + 1))))
    return tuple(rows)


def monte_carlo_p(replicate, observed, maximum, rng, level, risk=None, threads=1):
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
    stops = None if risk is None else boundaries(maximum, level, risk)
    values, since = [], time.monotonic()
    # One thread: no pool, whose hand-offs cost more than a cheap replicate.
    with ThreadPoolExecutor(threads) if threads > 1 else nullcontext() as pool:
        for look in range(chunks.max()):
            active = [stream for stream, count in zip(streams, chunks, strict=True) if count > look]
            values.extend((pool.map if pool else map)(replicate, active))
            k = sum(value >= observed for value in values)
            if time.monotonic() - since >= PROGRESS_SECONDS:
                since = time.monotonic()
                share = len(values) / maximum
                log.info(
                    "bootstrap: %d of at most %d replicates (%.0f %%)",
                    len(values),
                    maximum,
                    100 * share,
                )
            if stops is not None and not stops[look][1] < k < stops[look][2]:
                break
    values = np.asarray(values, np.float64)
    k, n = int(np.count_nonzero(values >= observed)), len(values)
    low, high = clopper_pearson(k, n, (1 - INTERVAL) / 2)
    return MonteCarloP(k / n, float(low), float(high), n, k), values
