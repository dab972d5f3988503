"""The scale table: fit + sequential p-value seconds against the number of codes (synthetic
cluster sizes, 10^3 ... 10^7), and degeneracy counting of 10^6 ... 10^8 codes from a Parquet
codes file on Polars' streaming engine, with the counting process's peak memory.

    .venv/bin/python benchmarks/bench_scale.py [--fits 3 4 5 6 7] [--counts 6 7 8]
"""

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from scaleinv.analysis.degeneracy import degeneracy
from scaleinv.stats.powerlaw_fit import bootstrap_test, fit, sample_power_law

CHUNK = 10_000_000  # codes written per row group, so that 10^8 codes never sit in memory


def fit_row(exponent, rng):
    """Seconds of a CSN fit and of its sequential bootstrap (at most 500 replicates) of
    10^exponent power-law cluster sizes (alpha 2.1, from k = 1)."""
    sizes = sample_power_law(2.1, 1, 10**exponent, rng)
    start = time.perf_counter()
    observed = fit(sizes)
    fitted = time.perf_counter()
    test, _ = bootstrap_test(sizes, observed, 500, rng, risk=1e-3)
    done = time.perf_counter()
    return fitted - start, done - fitted, test


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
    parser.add_argument("--fits", type=int, nargs="*", default=[3, 4, 5, 6, 7])
    parser.add_argument("--counts", type=int, nargs="*", default=[6, 7, 8])
    parser.add_argument("--count-one", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.count_one:
        count_codes(args.count_one)
        return
    rng = np.random.default_rng(0)
    print("codes  fit_s  p_s  replicates  p")
    for exponent in args.fits:
        fit_s, p_s, test = fit_row(exponent, rng)
        print(f"1e{exponent}  {fit_s:.2f}  {p_s:.1f}  {test.replicates}  {test.p:.3f}", flush=True)
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
