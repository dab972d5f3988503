"""The KS scan over x_min candidates (issue 36, item 2): seconds and peak memory of one CSN
fit of a sample with D distinct sizes, by the branch and bound (stats.powerlaw_fit.
_ks_smallest) against the old scan of every (candidate, value) pair (~D^2 / 2 zeta calls,
in runs of 2^20 pairs as before), timed in the same run where feasible. "all exact" is the
fit with every candidate's distance exact (`_ks_distances`, the branch and bound without
the shortlist's cap), the plain scan's distances to the last bit.

    .venv/bin/python benchmarks/bench_ks_scan.py [--distinct 1000 10000 100000] [--old-up-to 15000]

Peak memory is tracemalloc's (numpy reports its buffers to it), above the sample itself;
the process's peak resident set is printed at the end. The rows named zipf are samples of
rng.zipf(1.5, n), whose sizes are mostly seen once (the issue's failing sample at 10^6).
"""

import argparse
import resource
import time
import tracemalloc
from unittest import mock

import numpy as np

from scaleinv.stats import powerlaw_fit

OLD_CHUNK = 1 << 20  # (candidate, value) pairs the old scan held at once


def old_scan(values, n_tail, starts, xmins, alpha, xmax):
    """The scan before the branch and bound: every pair, `_ks_distances_plain` over runs of
    candidates holding at most OLD_CHUNK pairs."""
    first = np.searchsorted(values, xmins, side="right")
    ends = np.cumsum(len(values) - first)
    distances = np.empty(len(starts))
    low = 0
    while low < len(starts):
        budget = (ends[low - 1] if low else 0) + OLD_CHUNK
        high = max(low + 1, int(np.searchsorted(ends, budget, side="right")))
        part = slice(low, high)
        distances[part] = powerlaw_fit._ks_distances_plain(
            values, n_tail, starts[part], xmins[part], alpha[part], xmax
        )
        low = high
    return distances


def sample_with(distinct, rng):
    """About `distinct` distinct sizes: 1..distinct once each under a zipf(1.5) body, so that
    the tail holds every one of them and nearly every size is an x_min candidate."""
    return np.concatenate([np.arange(1, distinct + 1), rng.zipf(1.5, 10 * distinct)])


def measure(sizes, scan):
    """(seconds, peak MB, fit) of one fit whose KS scan is `scan`."""
    with mock.patch.object(powerlaw_fit, "_ks_smallest", scan):
        start = time.perf_counter()
        result = powerlaw_fit.fit(sizes)
        seconds = time.perf_counter() - start
        tracemalloc.start()  # a second run: tracemalloc slows the first down
        powerlaw_fit.fit(sizes)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return seconds, peak / 2**20, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--distinct", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--zipf", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--old-up-to", type=int, default=15_000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    rows = [(f"{d:,} + zipf", sample_with(d, rng)) for d in args.distinct]
    rows += [(f"zipf(1.5, {n:,})", rng.zipf(1.5, n)) for n in args.zipf]
    print(
        "| sample | distinct sizes D | seconds | peak MB | all exact: seconds, MB "
        "| old seconds | old peak MB | old / new |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, sizes in rows:
        distinct = len(np.unique(sizes))
        seconds, peak, result = measure(sizes, powerlaw_fit._ks_smallest)
        exact_seconds, exact_peak, exact = measure(sizes, powerlaw_fit._ks_distances)
        assert exact == result, (exact, result)
        old = "| - | - | - |"
        if distinct <= args.old_up_to:
            old_seconds, old_peak, before = measure(sizes, old_scan)
            assert before == result, (before, result)  # the same x_min, alpha and D
            old = f"| {old_seconds:.2f} | {old_peak:,.0f} | {old_seconds / seconds:,.0f}x |"
        print(
            f"| {name} | {distinct:,} | {seconds:.2f} | {peak:,.0f} "
            f"| {exact_seconds:.2f}, {exact_peak:,.0f} {old}",
            flush=True,
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10  # KiB -> MiB
    print(f"process peak resident set: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
