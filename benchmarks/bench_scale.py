"""The scale table: fit + sequential p-value seconds against the number of codes (synthetic
cluster sizes, 10^5 ... 10^7), and degeneracy counting of 10^6 ... 10^8 codes from a Parquet
codes file on Polars' streaming engine, with the counting process's peak memory.

    .venv/bin/python benchmarks/bench_scale.py [--fits 5 6 7] [--old-up-to 6] [--counts 6 7 8]

The p-value is `Fit.p_value(replicates=1000)`'s: the sequential test, at most 1,000
replicates, resampling risk 1e-3. Each replicate is drawn and refitted as distinct sizes and
counts (issue 35 item 5); "old" is the bootstrap before it (`old_bootstrap_test`: n sizes
drawn one by one and refitted with every (candidate, value) pair scanned), run on the same
sample and seed up to 10^old-up-to sizes. Above that the old p-value is estimated as its
seconds per replicate (measured on 4 replicates) times the replicates the new test drew.
"fixed" is the fixed 1,000-replicate test, the sequential test's worst case (p near 0.1).
"""

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from bench_ks_scan import old_scan

from scaleinv.analysis.degeneracy import degeneracy
from scaleinv.stats import powerlaw_fit
from scaleinv.stats.powerlaw_fit import (
    SIGNIFICANCE,
    bootstrap_test,
    fit,
    sample_power_law,
)
from scaleinv.stats.sequential import monte_carlo_p

CHUNK = 10_000_000  # codes written per row group, so that 10^8 codes never sit in memory
REPLICATES, RISK = 1000, 1e-3  # Fit.p_value(replicates=1000), sequential
OLD_REPLICATES = 4  # the old bootstrap's seconds per replicate, where it is not run whole


def old_bootstrap_test(sample, observed, replicates, rng, risk):
    """`bootstrap_test` as it was before replicates were counts (x_min refitted, no x_max):
    each replicate draws n sizes, expands them and refits with the old every-pair scan."""
    sample = np.asarray(sample, np.int64)
    body = sample[sample < observed.xmin]
    n = len(sample)

    def distance(stream):
        n_tail = stream.binomial(n, observed.n_tail / n)
        synthetic = np.concatenate(
            [
                sample_power_law(observed.alpha, observed.xmin, n_tail, stream),
                stream.choice(body, n - n_tail) if len(body) else np.empty(0, np.int64),
            ]
        )
        with mock.patch.object(powerlaw_fit, "_ks_smallest", old_scan):
            refit = fit(synthetic)
        return np.inf if refit is None else refit.ks_d

    return monte_carlo_p(distance, observed.ks_d, replicates, rng, SIGNIFICANCE, risk=risk)


def timed(function, *args, **kwargs):
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def fit_row(exponent, old_up_to, seed=0):
    """One row of the fits table for 10^exponent power-law cluster sizes (alpha 2.1, from
    k = 1): the fit's and the p-value's seconds, new and old."""
    sizes = sample_power_law(2.1, 1, 10**exponent, np.random.default_rng([seed, exponent]))
    fit_s, observed = timed(fit, sizes)
    rng = lambda: np.random.default_rng([seed, exponent, 1])  # noqa: E731
    p_s, (test, _) = timed(bootstrap_test, sizes, observed, REPLICATES, rng(), risk=RISK)
    fixed_s, _ = timed(bootstrap_test, sizes, observed, REPLICATES, rng())
    if exponent <= old_up_to:
        old_s, (old, _) = timed(old_bootstrap_test, sizes, observed, REPLICATES, rng(), RISK)
        each = old_s / old.replicates
        old = f"{old_s:.1f} ({old.replicates} replicates, p {old.p:.3f})"
    else:
        each, _ = timed(old_bootstrap_test, sizes, observed, OLD_REPLICATES, rng(), None)
        each /= OLD_REPLICATES
        old_s = each * test.replicates
        old = f"~{old_s:.0f} (estimated)"
    new_each = fixed_s / REPLICATES
    return (
        f"| 10^{exponent} | {fit_s:.3f} | {p_s:.2f} | {test.replicates} | {test.p:.3f} "
        f"| {fixed_s:.1f} | {1e3 * new_each:.1f} | {old} | {1e3 * each:.0f} "
        f"| {old_s / p_s:,.0f}x | {each / new_each:,.0f}x |"
    )


def write_codes(path, count, rng):
    """A codes file of `count` 32-bit codes of one layer, Zipf-distributed (many repeats, a
    long tail of unique codes), written a row group at a time."""
    label = pa.dictionary(pa.int8(), pa.string())
    schema = pa.schema([("layer", label), ("split", label), ("code", pa.binary(4))])
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for start in range(0, count, CHUNK):
            n = min(CHUNK, count - start)
            # Pareto draws floored: P(code > c) ~ c^-0.3, as rng.zipf(1.3) but 10x faster
            codes = (rng.random(n) ** (-1 / 0.3) % 2**32).astype(">u4")
            column = pa.FixedSizeBinaryArray.from_buffers(
                pa.binary(4), n, [None, pa.py_buffer(codes.tobytes())]
            )
            zeros = pa.array(np.zeros(n, np.int8))
            layer = pa.DictionaryArray.from_arrays(zeros, pa.array(["z1"]))
            split = pa.DictionaryArray.from_arrays(zeros, pa.array(["train"]))
            writer.write_table(pa.Table.from_arrays([layer, split, column], schema=schema))


def count_codes(path):
    """Run in a child process: count a codes file's degeneracy as the workflow does (the
    GROUP columns added lazily, as scan_codes adds them) and print seconds, rows, peak RSS."""
    codes = pl.scan_parquet(path).select(
        pl.lit("bench").alias("experiment"),
        pl.lit(0, pl.Int32).alias("seed"),
        pl.lit(0, pl.Int32).alias("epoch"),
        "layer",
        "split",
        "code",
    )
    start = time.perf_counter()
    frame = degeneracy(codes)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB
    print(seconds, frame.height, int(frame["m"].sum()), peak)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fits", type=int, nargs="*", default=[5, 6, 7])
    parser.add_argument("--old-up-to", type=int, default=6)
    parser.add_argument("--counts", type=int, nargs="*", default=[6, 7, 8])
    parser.add_argument("--count-one", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.count_one:
        count_codes(args.count_one)
        return
    print(
        "| sizes | fit s | p-value s | replicates | p | fixed 1,000 s | ms per replicate "
        "| old p-value s | old ms per replicate | old / new: p-value | per replicate |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for exponent in args.fits:
        print(fit_row(exponent, args.old_up_to), flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB
    print(f"fits: process peak resident set {peak:.2f} GiB")
    rng = np.random.default_rng(0)
    print("codes  write_s  count_s  distinct_k  peak_GiB")
    with tempfile.TemporaryDirectory() as folder:
        for exponent in args.counts:
            path = Path(folder) / f"codes{exponent}.parquet"
            start = time.perf_counter()
            write_codes(path, 10**exponent, rng)
            written = time.perf_counter() - start
            child = [sys.executable, __file__, "--count-one", str(path)]
            seconds, distinct, total, peak = subprocess.check_output(child, text=True).split()
            assert int(total) > 0
            print(
                f"1e{exponent}  {written:.1f}  {float(seconds):.1f}  {distinct}  {float(peak):.2f}",
                flush=True,
            )
            path.unlink()


if __name__ == "__main__":
    main()
