"""A CSN fit plus its 1000-replicate bootstrap: ours against the `powerlaw` package (exact
discrete fit, one semiparametric replicate made and refitted with it, times 1000).

    .venv/bin/python benchmarks/bench_fit.py [--replicates 1000]
"""

import argparse
import time
import warnings

import numpy as np
import powerlaw

from scaleinv.analysis.powerlaw_fit import bootstrap_p_value, fit, sample_power_law


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=1, help="threads for our bootstrap")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
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
