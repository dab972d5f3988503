"""Likelihood-ratio tests against the field's published and reference numbers: Clauset,
Shalizi & Newman's Table 6.2 (Moby Dick, terrorism) and the `powerlaw` package 2.0.0 on
five samples, two of them real layers (tests/data/README.md says where each comes from)."""

from pathlib import Path

import numpy as np
import pytest

from scaleinv.powerlaw import Fit

DATA = Path(__file__).parent / "data"


def load(name):
    """The sizes of a test-data file: one per line, or a degeneracy table's (k, m)."""
    if name.endswith(".tsv"):
        k, m = np.loadtxt(DATA / name, skiprows=1, dtype=np.int64, unpack=True)
        return np.repeat(k, m)
    if name == "lognormal":
        return np.ceil(np.random.default_rng(0).lognormal(1, 1.5, 5000)).astype(np.int64)
    if name == "zipf":
        return np.random.default_rng(1).zipf(2.2, 5000)
    return np.loadtxt(DATA / name, dtype=np.int64)


# CSN 2009 Table 6.2: the fit (alpha, x_min) and, per rival, the normalised ratio
# R / (sigma sqrt n) (for the nested cutoff law the raw R) and p. `tolerance` is the
# printed precision where our fit of the rival reproduces theirs; the wider ones are
# explained in TABLE_6_2_DIFFERS.
TABLE_6_2 = {
    "csn_words.txt": (1.95, 7, {"exponential": (9.09, 0.0), "cutoff": (-0.899, 0.18)}),
    "csn_terrorism.txt": (
        2.4,
        12,
        {"lognormal": (-0.278, 0.78), "exponential": (2.457, 0.01), "cutoff": (-0.077, 0.70)},
    ),
}
TOLERANCE = {  # (ratio, p): half a unit of the last printed digit, or as explained
    ("csn_words.txt", "exponential"): (0.06, 0.005),  # 9.14: their exponential's lambda
    ("csn_words.txt", "cutoff"): (0.01, 0.005),  # -0.906 (p 0.178): a flat optimum
    ("csn_terrorism.txt", "lognormal"): (0.0005, 0.005),
    ("csn_terrorism.txt", "exponential"): (0.002, 0.005),
    ("csn_terrorism.txt", "cutoff"): (0.0005, 0.01),  # p 0.695: one unit of the last digit
}
# Where Table 6.2 cannot be reproduced, and why (docs/coming-from-powerlaw.md says it too):
TABLE_6_2_DIFFERS = {
    ("csn_words.txt", "lognormal"): "CSN 0.395 (p 0.69); ours 0.196 (p 0.84), powerlaw "
    "0.44: the lognormal's likelihood rises along a ridge toward mu -> -inf (it tends to a "
    "power law), so each optimiser stops somewhere else on it; ours, also started on the "
    "ridge, stops highest (R = 0.009 against powerlaw's 0.020)",
    ("csn_words.txt", "stretched_exponential"): "CSN 4.13 (p 0.00); ours 0 (p 1): the "
    "stretched exponential contains the power law as beta -> 0, so at its maximum R <= 0; "
    "theirs stopped short of it",
    ("csn_terrorism.txt", "stretched_exponential"): "CSN 0.772 (p 0.44); ours -0.276 "
    "(p 0.78), the same reason",
}


@pytest.mark.parametrize("name", list(TABLE_6_2))
def test_csn_table_6_2_ratios_and_p_values(name):
    alpha, xmin, rivals = TABLE_6_2[name]
    fit = Fit(load(name))
    assert fit.xmin == xmin and round(fit.alpha, 2) == pytest.approx(alpha, abs=0.031)
    for rival, (ratio, p) in rivals.items():
        test = fit.compare(rival)
        ours = test.R if rival == "cutoff" else test.normalized_R
        ratio_tolerance, p_tolerance = TOLERANCE[name, rival]
        assert ours == pytest.approx(ratio, abs=ratio_tolerance), (rival, ours)
        assert test.p == pytest.approx(p, abs=p_tolerance), (rival, test.p)


def test_table_6_2_differences_are_where_the_rival_nests_the_power_law():
    """Where we differ from Table 6.2, our rival fits at least as well as theirs did: the
    stretched exponential's R <= 0 and the words' lognormal's R below the `powerlaw`
    package's (CSN print only the normalised ratio)."""
    words, terrorism = Fit(load("csn_words.txt")), Fit(load("csn_terrorism.txt"))
    assert words.compare("stretched_exponential").R <= 0 < 4.13
    assert terrorism.compare("stretched_exponential").R <= 0 < 0.772
    assert words.compare("lognormal").normalized_R == pytest.approx(0.196, abs=0.001)
    assert len(TABLE_6_2_DIFFERS) == 3


# The powerlaw package 2.0.0's distribution_compare("power_law", rival) at our x_min
# (R, p, normalised ratio); test_reference_numbers_are_the_powerlaw_packages recomputes them.
POWERLAW_PACKAGE = {
    "csn_terrorism.txt": {
        "lognormal": (-0.1464, 0.7794, -0.2801),
        "exponential": (228.9849, 0.0140, 2.4575),
    },
    "mlp_seed0_z1_train_degeneracy.tsv": {
        "lognormal": (-4.5066, 0.0024, -3.0405),
        "exponential": (2553.3523, 0.0, 11.8747),
    },
    "mlp_seed0_z3_train_degeneracy.tsv": {
        "lognormal": (-13.9523, 0.0003, -3.6369),
        "exponential": (3113.98, 0.0, 13.4266),
    },
    "lognormal": {"lognormal": (-8.7776, 0.0088, -2.621), "exponential": (27.5512, 0.042, 2.0331)},
    "zipf": {"lognormal": (1.3428, 0.524, 0.6372), "exponential": (2758.4441, 0.0, 7.0947)},
}


@pytest.mark.parametrize("name", list(POWERLAW_PACKAGE))
def test_ratios_and_p_values_agree_with_the_powerlaw_package_within_2_percent(name):
    fit = Fit(load(name))
    for rival, (ratio, p, normalized) in POWERLAW_PACKAGE[name].items():
        test = fit.compare(rival)
        assert test.R == pytest.approx(ratio, rel=0.02), rival
        assert test.p == pytest.approx(p, rel=0.02, abs=1e-3), rival
        assert test.normalized_R == pytest.approx(normalized, rel=0.02), rival
        assert fit.distribution_compare("power_law", rival, normalized_ratio=True) == (
            test.normalized_R,
            test.p,
        )


def test_the_words_lognormal_fits_at_least_as_well_as_the_powerlaw_packages():
    """On Moby Dick the lognormal's maximum lies far along a ridge (TABLE_6_2_DIFFERS): the
    `powerlaw` package stops at R = 0.0196 (p 0.66); ours climbs higher (R = 0.0088), so
    the power law's edge over the lognormal is, if anything, smaller than theirs."""
    test = Fit(load("csn_words.txt")).compare("lognormal")
    assert 0 < test.R <= 0.0196 and test.p >= 0.6596


def test_the_lognormal_fit_climbs_the_ridge_on_heavy_tails():
    """zipf(1.3) and zipf(1.2), 5,000 draws (the red team's cases): one start from the
    moments stopped 42 nats short of the `powerlaw` package's lognormal (R = 49.5, p =
    8e-6: a wrong 'power law better'), and sizes near 1e15 made R infinite. Now R is finite
    and at most the package's (6.70 and p 0.147 on the first)."""
    first = Fit(np.random.default_rng(2).zipf(1.3, 5000)).compare("lognormal")
    assert first.R <= 6.70 and first.p > 0.1
    second = Fit(np.random.default_rng(1).zipf(1.2, 5000)).compare("lognormal")
    assert np.isfinite(second.R) and np.isfinite(second.normalized_R) and 0 <= second.p <= 1


@pytest.mark.slow
@pytest.mark.parametrize("name", [*POWERLAW_PACKAGE, "csn_words.txt"])
def test_reference_numbers_are_the_powerlaw_packages(name):
    import warnings

    powerlaw = pytest.importorskip("powerlaw")
    sizes = load(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = powerlaw.Fit(sizes, discrete=True, xmin=Fit(sizes).xmin, verbose=False)
        for rival, (ratio, p, normalized) in POWERLAW_PACKAGE.get(name, {}).items():
            R, their_p = theirs.distribution_compare("power_law", rival)
            their_normalized, _ = theirs.distribution_compare(
                "power_law", rival, normalized_ratio=True
            )
            assert (R, their_p, their_normalized) == pytest.approx(
                (ratio, p, normalized), abs=1e-4
            ), rival
