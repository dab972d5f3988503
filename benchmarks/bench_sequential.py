"""The sequential test's stopping boundaries (issue 36, item 2): seconds and peak memory of
building every look's boundary lazily (stats.sequential.boundary, each from the look
before), and of a clear rejection (a statistic never as large as the observed: it
stops at the first look whose Clopper-Pearson bound excludes the level), against the old
way, the whole table from every exceedance count at every look built before the first
replicate (its cost about maximum^2.5), timed in the same run up to --old-up-to.

    .venv/bin/python benchmarks/bench_sequential.py [--maxima 1000 10000 100000] [--old-up-to 10000]

Level 0.1 and resampling risk 1e-3, as the workflow's and Fit.p_value's. Peak memory is
tracemalloc's. The old way's rejection costs its whole table: the table came first.
"""

import argparse
import time
import tracemalloc

import numpy as np

from scaleinv.stats import sequential
from scaleinv.stats.sequential import (
    _boundaries_plain,
    boundary,
    clopper_pearson,
    looks,
    monte_carlo_p,
)

LEVEL, RISK = 0.1, 1e-3


def every_look(maximum):
    """Every look's boundary, built lazily from an empty cache."""
    sequential._table.cache_clear()
    return [boundary(maximum, LEVEL, RISK, look) for look in range(len(looks(maximum)))]


def rejection(maximum):
    """A clear rejection, from an empty cache: (replicates drawn, p)."""
    sequential._table.cache_clear()
    rng = np.random.default_rng(0)
    test, _ = monte_carlo_p(lambda stream: 0.0, 1.0, maximum, rng, LEVEL, RISK)
    return test.replicates, test.p


def measure(function, *args):
    """(seconds, peak MB, result) of a call: timed, then run again under tracemalloc (which
    slows Python code down) for its peak memory."""
    start = time.perf_counter()
    result = function(*args)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    function(*args)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--maxima", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--old-up-to", type=int, default=10_000)
    args = parser.parse_args()
    clopper_pearson(1, 10, 0.05)  # scipy.stats is imported on first use: not in the timings
    print(
        "| maximum | looks | every look: s, MB | rejection: s, MB, replicates "
        "| old table: s, MB | old / new: every look | rejection |"
    )
    print("|---|---|---|---|---|---|---|")
    for maximum in args.maxima:
        all_s, all_mb, lazy = measure(every_look, maximum)
        stop_s, stop_mb, (drawn, p) = measure(rejection, maximum)
        assert p == 0
        old = "| - | - | - |"
        if maximum <= args.old_up_to:
            old_s, old_mb, table = measure(_boundaries_plain, maximum, LEVEL, RISK)
            assert table == lazy  # the same boundaries
            old = f"| {old_s:.2f}, {old_mb:,.1f} | {old_s / all_s:,.0f}x | {old_s / stop_s:,.0f}x |"
        print(
            f"| {maximum:,} | {len(lazy):,} | {all_s:.2f}, {all_mb:,.1f} "
            f"| {stop_s:.3f}, {stop_mb:,.1f}, {drawn} {old}",
            flush=True,
        )


if __name__ == "__main__":
    main()
