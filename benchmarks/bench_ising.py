"""Attempted spin flips per second: our Metropolis kernel vs a plain Numba loop.

The baseline is the textbook single-chain loop (random site, np.random, math.exp per
attempt), compiled with Numba and timed in the same run. Usage:
    .venv/bin/python benchmarks/bench_ising.py [--L 10] [--chains 256] [--sweeps 400]
"""

import argparse
import math
import time

import numba
import numpy as np

from scaleinv.ising.kernels import Chains


@numba.njit
def plain_metropolis(spins, T, attempts, seed):
    np.random.seed(seed)
    L = spins.shape[0]
    for _ in range(attempts):
        i = np.random.randint(L)
        j = np.random.randint(L)
        h = (
            spins[(i + 1) % L, j]
            + spins[(i - 1) % L, j]
            + spins[i, (j + 1) % L]
            + spins[i, (j - 1) % L]
        )
        delta_e = 2 * spins[i, j] * h
        if delta_e <= 0 or np.random.random() < math.exp(-delta_e / T):
            spins[i, j] = -spins[i, j]


def best_rate(run, attempts, repeats=3):
    """Attempts per second of the fastest of `repeats` timed runs (after a warm-up)."""
    run()
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return attempts / best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--L", type=int, default=10)
    parser.add_argument("--chains", type=int, default=256)
    parser.add_argument("--sweeps", type=int, default=400)
    args = parser.parse_args()
    sites = args.L * args.L
    attempts = args.chains * args.sweeps * sites
    threads = numba.get_num_threads()
    print(f"L={args.L}, {threads} threads, {args.chains} chains x {args.sweeps} sweeps")
    print(f"{'T':>5} {'ours (M flips/s)':>17} {'plain loop':>11} {'ratio':>6}")
    for T in (1.53, 2.26, 3.28):
        chains = Chains(args.L, T, np.arange(1, args.chains + 1, dtype=np.uint64), "metropolis")
        ours = best_rate(lambda c=chains: c.advance(args.sweeps), attempts)
        lattice = np.ones((args.L, args.L), np.int8)
        plain = best_rate(
            lambda s=lattice, t=T: plain_metropolis(s, t, attempts // 8, 0), attempts // 8
        )
        print(f"{T:5.2f} {ours / 1e6:17.0f} {plain / 1e6:11.1f} {ours / plain:6.1f}")


if __name__ == "__main__":
    main()
