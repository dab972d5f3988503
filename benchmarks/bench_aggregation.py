"""Counting cluster sizes m(k): our route (pack bits, group the packed codes with Polars)
against np.unique(axis=0) on the integer code matrix, measured in the same run.

    .venv/bin/python benchmarks/bench_aggregation.py [--rows 60000 1000000] [--width 70]
"""

import argparse
import time

import numpy as np
import polars as pl
import pyarrow as pa

from scaleinv.analysis.degeneracy import cluster_sizes, size_frequencies
from scaleinv.codes import binary_column, pack


def code_matrix(rows, width, rng):
    """Binary codes with repetition like a trained layer's: Zipf-distributed prototypes."""
    prototypes = rng.integers(0, 2, size=(rows // 4, width), dtype=np.int64)
    return prototypes[(rng.zipf(1.6, rows) - 1) % len(prototypes)]


def ours(codes):
    frame = pl.from_arrow(pa.table({"code": binary_column(pack(codes))})).lazy()
    result = size_frequencies(cluster_sizes(frame, group=[]), group=[]).collect()
    return result["k"].to_numpy(), result["m"].to_numpy()


def baseline(codes):
    _, counts = np.unique(codes, axis=0, return_counts=True)
    return np.unique(counts, return_counts=True)


def best_of(function, codes, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function(codes)
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[60_000, 1_000_000])
    parser.add_argument("--width", type=int, default=70)
    args = parser.parse_args()
    print(f"{'rows':>9} {'np.unique (s)':>14} {'ours (s)':>9} {'ratio':>7}")
    for rows in args.rows:
        codes = code_matrix(rows, args.width, np.random.default_rng(0))
        repeats = 3 if rows <= 100_000 else 1
        base_seconds, (base_k, base_m) = best_of(baseline, codes, repeats)
        our_seconds, (k, m) = best_of(ours, codes, 3)
        assert np.array_equal(k, base_k) and np.array_equal(m, base_m), "results differ"
        print(
            f"{rows:>9} {base_seconds:14.3f} {our_seconds:9.3f} {base_seconds / our_seconds:7.1f}"
        )


if __name__ == "__main__":
    main()
