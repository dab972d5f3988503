"""The KS scan over x_min candidates (issue 36, item 2): seconds and peak memory of one CSN
fit of a sample with D distinct sizes, the chunked scan (stats.powerlaw_fit.KS_CHUNK pairs
at a time) against the plain one that holds all ~D^2 / 2 (candidate, value) pairs.

    .venv/bin/python benchmarks/bench_ks_scan.py [--distinct 1000 3000 10000] [--plain-up-to 3000]

Peak memory is tracemalloc's (numpy reports its buffers to it), above the sample itself.
Time stays O(D^2): every candidate's law is evaluated (Hurwitz zeta) at every distinct
size above it; only the memory is bounded.
"""

import argparse
import time
import tracemalloc
from unittest import mock

import numpy as np

from scaleinv.stats import powerlaw_fit


def sample_with(distinct, rng):
    """`distinct` distinct sizes: 1..distinct once each under a zipf(1.5) body, so that the
    tail holds every one of them and nearly every size is an x_min candidate."""
    return np.concatenate([np.arange(1, distinct + 1), rng.zipf(1.5, 10 * distinct)])


def measure(sizes, plain):
    """(seconds, peak MB) of one fit; `plain` scans all candidates at once."""
    chunk = 1 << 62 if plain else powerlaw_fit.KS_CHUNK
    scan = powerlaw_fit._ks_distances
    with mock.patch.object(powerlaw_fit, "_ks_distances", lambda *args: scan(*args, chunk=chunk)):
        tracemalloc.start()
        start = time.perf_counter()
        result = powerlaw_fit.fit(sizes)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return seconds, peak / 2**20, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--distinct", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--plain-up-to", type=int, default=3000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print("| distinct sizes D | scan | seconds | peak memory (MB) | x_min, alpha |")
    print("|---|---|---|---|---|")
    for distinct in args.distinct:
        sizes = sample_with(distinct, rng)
        D = len(np.unique(sizes))
        for plain in (True, False) if distinct <= args.plain_up_to else (False,):
            seconds, peak, result = measure(sizes, plain)
            name = "plain" if plain else "chunked"
            print(
                f"| {D:,} | {name} | {seconds:.2f} | {peak:,.0f} | "
                f"{result.xmin}, {result.alpha:.4f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
