"""A CSN fit plus its 1000-replicate bootstrap: ours against the `powerlaw` package (exact
discrete fit, one semiparametric replicate made and refitted with it, times 1000); with
--sequential, our sequential test against our fixed one instead, in replicates and seconds, on
synthetic layers and on the real layers of a run's degeneracy tables.

    .venv/bin/python benchmarks/bench_fit.py [--replicates 1000]
    .venv/bin/python benchmarks/bench_fit.py --sequential [results/degeneracy/*.parquet]
"""

import argparse
import time
import warnings

import numpy as np
import powerlaw

from scaleinv.analysis.degeneracy import read_degeneracy, sizes_of
from scaleinv.stats.powerlaw_fit import (
    SIGNIFICANCE,
    bootstrap_p_value,
    bootstrap_test,
    fit,
    sample_power_law,
)
from scaleinv.tables import GROUP


def cluster_sizes(rng):
    """Like an RBM layer's sizes (4,300 codes, power-law tail from k = 20, alpha about 2.1)."""
    tail = sample_power_law(2.1, 20, 300, rng)
    return np.concatenate([tail, rng.zipf(2.6, 4000)])


def powerlaw_replicate(sample, fitted, rng):
    """One CSN replicate with the package: its exact discrete generator, then a full fit."""
    n_tail = int(np.sum(sample >= fitted.xmin))
    tail = fitted.power_law.generate_random(n_tail, estimate_discrete=False)
    body = rng.choice(sample[sample < fitted.xmin], len(sample) - n_tail)
    synthetic = np.concatenate([tail, body])
    return powerlaw.Fit(synthetic, discrete=True, estimate_discrete=False, verbose=False)


def synthetic_layers(rng):
    """Layers with a known answer: power-law tails (p uniform) and lognormal sizes."""
    for seed in range(6):
        yield f"power law {seed}", cluster_sizes(rng)
        yield f"lognormal {seed}", np.ceil(rng.lognormal(1.0, 1.5, 4300)).astype(np.int64)


def real_layers(paths):
    """Every group of the given degeneracy tables (a default run's results/degeneracy/)."""
    for path in paths:
        for key, group in read_degeneracy(path).group_by(GROUP, maintain_order=True):
            yield "/".join(map(str, key)), sizes_of(group.sort("k"))


def timed_test(sample, observed, replicates, risk, threads):
    start = time.perf_counter()
    test, _ = bootstrap_test(
        sample, observed, replicates, np.random.default_rng(1), 10, threads, risk=risk
    )
    return test, time.perf_counter() - start


def compare_sequential(layers, replicates, threads):
    """One line per layer: fixed and sequential p, replicates and seconds; then the totals."""
    totals = np.zeros(4)  # replicates and seconds, fixed then sequential
    same = count = 0
    print(f"{'layer':<34}{'p fixed':>8}{'p seq':>7}{'reps':>6}{'s fixed':>9}{'s seq':>7}")
    for name, sample in layers:
        observed = fit(sample)
        if observed is None or len(np.unique(sample)) < 5:
            continue
        fixed, fixed_s = timed_test(sample, observed, replicates, None, threads)
        sequential, seq_s = timed_test(sample, observed, replicates, 1e-3, threads)
        totals += (fixed.replicates, fixed_s, sequential.replicates, seq_s)
        same += (fixed.p >= SIGNIFICANCE) == (sequential.p >= SIGNIFICANCE)
        count += 1
        print(
            f"{name:<34}{fixed.p:>8.3f}{sequential.p:>7.3f}{sequential.replicates:>6}"
            f"{fixed_s:>9.2f}{seq_s:>7.2f}",
            flush=True,
        )
    print(
        f"{count} layers, same decision at {SIGNIFICANCE} in {same}; replicates "
        f"{totals[0]:.0f} -> {totals[2]:.0f} ({totals[0] / totals[2]:.1f}x), seconds "
        f"{totals[1]:.1f} -> {totals[3]:.1f} ({totals[1] / totals[3]:.1f}x)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=1, help="threads for our bootstrap")
    parser.add_argument("--sequential", action="store_true", help="sequential against fixed")
    parser.add_argument("degeneracy", nargs="*", help="degeneracy tables of a run (--sequential)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    if args.sequential:
        print(f"synthetic layers, at most {args.replicates} replicates")
        compare_sequential(synthetic_layers(rng), args.replicates, args.threads)
        if args.degeneracy:
            print(f"real layers of {len(args.degeneracy)} degeneracy tables")
            compare_sequential(real_layers(args.degeneracy), args.replicates, args.threads)
        return
    sample = cluster_sizes(rng)

    start = time.perf_counter()
    ours = fit(sample)
    p_value = bootstrap_p_value(sample, ours, args.replicates, rng, threads=args.threads)
    our_seconds = time.perf_counter() - start

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        theirs = powerlaw.Fit(sample, discrete=True, estimate_discrete=False, verbose=False)
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        powerlaw_replicate(sample, theirs, rng)
        replicate_seconds = time.perf_counter() - start
    their_seconds = fit_seconds + args.replicates * replicate_seconds

    print(f"sample: {len(sample)} sizes, {len(np.unique(sample))} distinct")
    print(f"ours:     alpha={ours.alpha:.4f} x_min={ours.xmin} D={ours.ks_d:.4f} p={p_value:.3f}")
    print(f"powerlaw: alpha={theirs.alpha:.4f} x_min={theirs.xmin:.0f} D={theirs.power_law.D:.4f}")
    replicates = f"{args.replicates} replicates"
    print(f"ours:     fit + {replicates} {our_seconds:8.2f} s ({args.threads} threads)")
    print(
        f"powerlaw: fit {fit_seconds:.2f} s + replicate {replicate_seconds:.2f} s x "
        f"{args.replicates} = {their_seconds:8.1f} s (extrapolated)"
    )
    print(f"ratio: {their_seconds / our_seconds:.0f}x")


if __name__ == "__main__":
    main()
