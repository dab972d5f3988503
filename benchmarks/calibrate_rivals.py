"""Calibrate the rivals' effect-size floor on laws with known answers.

A rival "fits significantly better" than the power law only when Vuong's p < 0.1 (for the
nested cutoff law, chi2(1)) and its log-likelihood ratio per tail code, -R / n_tail, is
above a floor: at 60,000 codes Vuong's test calls differences of a few thousandths of a nat
per code significant. This script draws many samples from exact power laws and from
scale-free occupancy codes (where no rival should win) and from lognormals (where the
lognormal should), fits each as the workflow does (CSN x_min, then `compare`), and prints
the rate at which each rival wins at each candidate floor.

    .venv/bin/python benchmarks/calibrate_rivals.py [--seeds 20]
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from scaleinv.stats.alternatives import ALTERNATIVES, compare
from scaleinv.stats.powerlaw_fit import SIGNIFICANCE, fit, sample_power_law

sys.path.append(str(Path(__file__).resolve().parents[1] / "tests"))
from heavy_tails import discrete_lognormal  # noqa: E402
from occupancy_codes import scale_free_sizes  # noqa: E402

FLOORS = (0.0, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01)
LAWS = {  # name -> (draw(rng), a rival should win)
    **{
        f"power law alpha={a}, n={n}": (lambda rng, a=a, n=n: sample_power_law(a, 1, n, rng), False)
        for a in (1.8, 2.5)
        for n in (2_000, 60_000)
    },
    **{
        f"occupancy b={b}, M=60000": (lambda rng, b=b: scale_free_sizes(b, rng), False)
        for b in (0.5, 0.9, 1.2, 1.5)
    },
    **{
        f"lognormal mu={mu}, sigma={s}, n=20000": (
            lambda rng, mu=mu, s=s: discrete_lognormal(mu, s, 20_000, rng),
            True,
        )
        for mu, s in ((1.0, 1.5), (0.5, 1.2))
    },
}


def per_code_ratios(sizes):
    """{rival: (R / n_tail, p)} of the CSN fit of `sizes` (None: no fit)."""
    result = fit(sizes)
    if result is None:
        return None
    tail = sizes[sizes >= result.xmin]
    return {
        name: (r / result.n_tail, p)
        for name, (_, r, p, *_) in compare(tail, result.alpha, result.xmin).items()
    }


def wins(ratio_and_p, floor):
    """Whether a rival with this (R / n_tail, p) fits significantly better at `floor`."""
    per_code, p = ratio_and_p
    return per_code < -floor and p < SIGNIFICANCE


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    print("| law | rival | " + " | ".join(f"floor {f}" for f in FLOORS) + " |")
    print("|---|---|" + "---|" * len(FLOORS))
    start = time.perf_counter()
    for law, (draw, rival_expected) in LAWS.items():
        rows = [per_code_ratios(draw(np.random.default_rng(seed))) for seed in range(args.seeds)]
        rows = [row for row in rows if row is not None]
        for name in (*ALTERNATIVES, "any"):
            names = ALTERNATIVES if name == "any" else (name,)
            rates = [
                np.mean([any(wins(row[n], floor) for n in names) for row in rows])
                for floor in FLOORS
            ]
            cells = " | ".join(f"{rate:.2f}" for rate in rates)
            print(f"| {law}{' (rival expected)' if rival_expected else ''} | {name} | {cells} |")
    print(f"\n{args.seeds} seeds per law, {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
