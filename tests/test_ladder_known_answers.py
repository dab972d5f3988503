"""The evidence ladder as an instrument (issue 22's known answers): whole fits tables on
samples of known laws, many seeds each, rates asserted. Exact power laws and scale-free
occupancy codes must reach `weak`; a lognormal, k-means-like boxes and uniform random
codes must not."""

import numpy as np
import polars as pl
import pytest

from heavy_tails import discrete_lognormal
from occupancy_codes import dirichlet_sizes, occupancy_sizes, scale_free_sizes
from scaleinv.analysis.fits import fits_table
from scaleinv.stats.alternatives import compare
from scaleinv.stats.ladder import rival_better, rung
from scaleinv.stats.layer import FitSettings
from scaleinv.stats.powerlaw_fit import fit, sample_power_law

pytestmark = pytest.mark.slow

SETTINGS = FitSettings(
    bootstrap=50, occupancy_bootstrap=20, estimator_bootstrap=50, min_distinct=5,
    min_tail=10, seed=0, xmin=None, xmax=None,
)  # fmt: skip
SEEDS = range(4)


def classes(samples):
    """The ladder class of each sample of cluster sizes (one fits table, one row each)."""
    rows = []
    for seed, sizes in enumerate(samples):
        k, m = np.unique(sizes, return_counts=True)
        rows += [("law", seed, 1, "z1", "train", int(a), int(b)) for a, b in zip(k, m, strict=True)]
    schema = {"experiment": pl.String, "seed": pl.Int32, "epoch": pl.Int32, "layer": pl.String,
              "split": pl.String, "k": pl.Int64, "m": pl.Int64}  # fmt: skip
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return fits_table(frame, SETTINGS)["evidence"].to_list()


def weak_share(samples):
    return np.mean([rung(c) >= rung("weak") for c in classes(samples)])


def test_exact_power_laws_reach_weak():
    """alpha 1.5-2.5 and n 1e4-1e5, paired: at alpha = 1.5 and n = 1e5 the largest size is
    ~1e11 and one CSN bootstrap takes a minute, which says nothing more."""
    samples = [
        np.random.default_rng(seed).zipf(alpha, n)
        for alpha, n in ((1.5, 10_000), (2.0, 30_000), (2.5, 100_000))
        for seed in range(6)
    ]
    assert weak_share(samples) >= 0.85


@pytest.mark.parametrize("b", [0.5, 0.75, 0.9])
def test_scale_free_occupancy_codes_reach_weak(b):
    samples = [scale_free_sizes(b, np.random.default_rng(seed)) for seed in range(8)]
    assert weak_share(samples) >= 0.85


@pytest.mark.parametrize(
    "draw",
    [
        lambda rng: discrete_lognormal(0.0, 1.0, 100_000, rng),
        lambda rng: dirichlet_sizes(rng),
        lambda rng: occupancy_sizes(np.ones(2**16), 60_000, rng),  # uniform 16-bit codes
    ],
    ids=["lognormal", "dirichlet_boxes", "uniform_16_bits"],
)
def test_rivals_do_not_reach_weak(draw):
    samples = [draw(np.random.default_rng(seed)) for seed in SEEDS]
    assert weak_share(samples) == 0


def test_a_wide_lognormal_may_pass_as_weak_but_never_strong():
    """sigma = 2: its tail can pass the CSN test over 1.7 decades with no rival better
    (the referee's seed 1), but Hill's estimate drifts over a decade of kappa."""
    samples = [discrete_lognormal(0.0, 2.0, 20_000, np.random.default_rng(s)) for s in range(6)]
    assert max(rung(c) for c in classes(samples)) < rung("strong")


def rival_win_rate(draw, seeds):
    """The share of `seeds` samples drawn by `draw(rng)` on whose CSN tail some rival fits
    significantly better (Vuong's p < 0.1 and more than RIVAL_FLOOR nats per tail code)."""
    wins = 0
    for seed in range(seeds):
        sizes = draw(np.random.default_rng(seed))
        result = fit(sizes)
        tests = compare(sizes[sizes >= result.xmin], result.alpha, result.xmin)
        wins += any(rival_better(t.R, t.p, result.n_tail) for t in tests.values())
    return wins / seeds


@pytest.mark.parametrize(
    "draw",
    [
        *(
            lambda rng, a=a, n=n: sample_power_law(a, 1, n, rng)
            for a in (1.8, 2.5)
            for n in (2_000, 60_000)
        ),
        *(lambda rng, b=b: scale_free_sizes(b, rng) for b in (0.5, 0.9, 1.2, 1.5)),
    ],
    ids=[
        *(f"power law {a}, n={n}" for a in (1.8, 2.5) for n in (2_000, 60_000)),
        *(f"occupancy b={b}" for b in (0.5, 0.9, 1.2, 1.5)),
    ],  # fmt: skip
)
def test_no_rival_wins_on_scale_free_samples_above_the_floor(draw):
    """Without the floor a lognormal wins on 100 % of occupancy codes with b = 1.5 and 23 %
    with b = 1.2 (benchmarks/calibrate_rivals.py); with it, at most 10 % of 30 draws."""
    assert rival_win_rate(draw, 30) <= 0.1


def test_rivals_still_win_on_lognormals():
    """The floor leaves the rivals their power: a rival wins on a lognormal's tail in a
    quarter of samples of 20,000 (CSN's x_min leaves many lognormal tails short and
    straight), never in under 15 % of 40."""
    rate = rival_win_rate(lambda rng: discrete_lognormal(1.0, 1.5, 20_000, rng), 40)
    assert rate >= 0.15
