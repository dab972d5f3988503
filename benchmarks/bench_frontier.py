"""The maximal-relevance frontier (scaleinv.stats.frontier.relevance_max) against the old bound
(scaleinv.stats.relevance.max_relevance, min of the continuous relaxation and log n_max): the
time of a 50-point curve at M = 60,000, both timed in this run, and the markdown table
H(Z) -> frontier, achieved, gap, old bound for issue 33's note.

    .venv/bin/python benchmarks/bench_frontier.py [--M 60000] [--repeats 3]
"""

import argparse
import math
import time

import numpy as np

from scaleinv.stats.frontier import relevance_max
from scaleinv.stats.relevance import max_relevance


def best_time(function, repeats):
    """The fastest of `repeats` calls, in seconds (the machine is shared)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--M", type=int, default=60_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    M, log_m = args.M, math.log(args.M)

    grid = np.linspace(0.0, log_m, 50)
    new = best_time(lambda: relevance_max(M, grid), args.repeats)
    old = best_time(lambda: max_relevance(M, grid), args.repeats)
    single = best_time(lambda: relevance_max(M, 7.0), args.repeats)
    print(f"M = {M:,}, 50-point curve (best of {args.repeats}):")
    print(f"  relevance_max  {new:.3f} s   (one point: {single:.3f} s)")
    print(f"  max_relevance  {old:.3f} s   (old bound, baseline)")
    print(f"  ratio new/old  {new / old:.2f}")
    curve = relevance_max(M, grid)
    print(
        f"  max gap on the curve: {curve.gap.max():.2e} nats at H(Z) = "
        f"{grid[np.argmax(curve.gap)]:.3f}; threshold (diagonal up to) {curve.threshold:.4f}"
    )

    table = np.array(
        [
            1.0,
            3.0,
            5.0,
            5.5,
            curve.threshold,
            5.8,
            6.0,
            6.5,
            7.0,
            7.5,
            8.0,
            8.5,
            9.0,
            9.5,
            10.0,
            10.5,
            10.9,
        ]
    )
    result, bound = relevance_max(M, table), max_relevance(M, table)
    print(
        f"\n| H(Z) | frontier | achieved | gap | old bound | old - frontier | slope |  (M = {M:,})"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for row in zip(table, result.value, result.lower, result.gap, bound, result.slope, strict=True):
        h, value, lower, gap, old_value, slope = (float(v) for v in row)
        gap = gap if abs(gap) > 1e-12 else 0.0  # rounding at the diagonal, where both are h
        print(
            f"| {h:.3f} | {value:.4f} | {lower:.4f} | {gap:.1e} | {old_value:.4f} | "
            f"{old_value - value:+.4f} | {slope:.3f} |"
        )


if __name__ == "__main__":
    main()
