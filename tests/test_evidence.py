"""The evidence ladder on fits rows whose class is known by construction, and the
consensus of seeds."""

import math

import polars as pl
import pytest

from scaleinv.analysis.fits import with_evidence
from scaleinv.stats.ladder import LADDER, consensus, holding, pass_count_p

M = 60_000
PASSING = {
    "M": M,
    "distinct": 3_000,
    "H_Z": 7.0,  # resolution 7.0 / ln 60000 = 0.64
    "status": "ok",
    "p_value": 0.5,
    "n_tail": 400,
    "decades": 2.5,
    "beta": 1.0,
    **{f"llr_{name}": 3.0 for name in ("lognormal", "exponential", "stretched_exponential")},
    **{f"p_{name}": 0.4 for name in ("lognormal", "exponential", "stretched_exponential")},
    "llr_cutoff": -2.0,  # significant, but 0.005 nats per code: below the floor
    "p_cutoff": 1e-3,
    "beta_hill": 1.1,
    "beta_moments": 0.95,
    "beta_kernel": 1.3,
    "hill_drift": 0.05,
}
RIVAL_BETTER = {"llr_lognormal": -8.0, "p_lognormal": 0.01}

CUTOFF_BETTER = {"llr_cutoff": -4.0, "p_cutoff": 1e-3}  # 0.01 nats per code: above it

CASES = {
    "strong": {},
    "weak": {"beta_hill": 2.0, "beta_moments": 2.0},  # estimators' median 1.3: 30 % off
    "weakest": {"n_tail": 49},
    "super-weak": {"p_value": 0.02},
    "none": {"p_value": 0.02, **RIVAL_BETTER},
    "none ": {"p_value": 0.02, **CUTOFF_BETTER},  # the cutoff law is a rival too
    "collapsed": {"H_Z": 0.24 * math.log(M), "distinct": 48},
    "unresolved": {"distinct": int(0.9 * M)},
}


@pytest.mark.parametrize("expected", list(CASES))
def test_each_rung_on_a_row_built_for_it(expected):
    frame = pl.DataFrame([{**PASSING, **CASES[expected]}])
    assert with_evidence(frame)["evidence"].to_list() == [expected.strip()]


def test_low_resolution_with_thousands_of_codes_is_no_collapse():
    """An exact power law with beta < 1: one cluster holds most inputs, yet 3,000 codes."""
    frame = pl.DataFrame([{**PASSING, "H_Z": 0.06 * math.log(M)}, {**PASSING, "distinct": 81}])
    assert with_evidence(frame)["evidence"].to_list() == ["strong", "strong"]


def test_a_drifting_hill_estimate_stops_at_weak_and_a_nan_estimator_is_left_out():
    """A lognormal's Hill estimate steepens into the tail; a failed estimator (NaN) must not
    move the median of the others."""
    drifting = {**PASSING, "hill_drift": 0.3}
    one_failed = {**PASSING, "beta_kernel": float("nan"), "beta_moments": 1.15}
    frame = pl.DataFrame([drifting, one_failed])
    assert with_evidence(frame)["evidence"].to_list() == ["weak", "strong"]
    frame = pl.DataFrame(
        [{**PASSING, "beta_hill": 1.0, "beta_moments": 1.3, "beta_kernel": float("nan")}]
    )
    assert with_evidence(frame)["evidence"][0] == "strong"  # median 1.15 (with the NaN: 1.3)


def test_a_short_tail_is_at_most_weakest_even_when_everything_else_holds():
    frame = pl.DataFrame([{**PASSING, "decades": 1.4}])
    assert with_evidence(frame)["evidence"][0] == "weakest"


def test_a_passing_tail_with_a_better_rival_stops_at_weak():
    frame = pl.DataFrame([{**PASSING, **RIVAL_BETTER}])
    assert with_evidence(frame)["evidence"][0] == "weak"


def test_an_unfitted_row_is_none_and_missing_estimators_stop_at_weak():
    degenerate = {**PASSING, "status": "degenerate: 2 distinct sizes", "p_value": None}
    frame = pl.DataFrame([degenerate, PASSING]).drop("beta_hill", "beta_moments", "beta_kernel")
    assert with_evidence(frame)["evidence"].to_list() == ["none", "weak"]


def test_consensus_is_the_rung_most_seeds_reach():
    assert consensus(["weak", "weak", "none"]) == "weak"
    assert consensus(["strong", "weak", "none"]) == "weak"
    assert consensus(["strong", "none"]) == "none"  # a tie never rounds up
    assert consensus(["strong"] * 3 + ["collapsed"] * 2) == "strong"


def test_strongest_is_a_layer_with_nine_in_ten_seeds_strong():
    """Broido & Clauset's `strongest`: strong in at least 90 % of the data versions."""
    assert consensus(["strong"] * 9 + ["weak"]) == "strongest"
    assert consensus(["strong"] * 8 + ["weak"] * 2) == "strong"
    assert consensus(["strong"] * 3) == "strongest"
    assert consensus(["strong"] * 4 + ["none"]) == "strong"


def test_a_rival_counts_only_above_the_effect_floor():
    """Vuong's p alone calls 0.004 nats per code significant at 60,000 codes."""
    tiny = {**PASSING, "n_tail": 60_000, "llr_lognormal": -240.0, "p_lognormal": 0.02}
    clear = {**tiny, "llr_lognormal": -600.0}
    assert with_evidence(pl.DataFrame([tiny, clear]))["evidence"].to_list() == ["strong", "weak"]


def test_ladder_names_are_the_eight_users_filter_on():
    assert LADDER == (
        "unresolved", "collapsed", "none", "super-weak", "weakest", "weak", "strong", "strongest"
    )  # fmt: skip


def test_pass_counts_against_an_exact_power_law():
    assert pass_count_p(5, 5) == 1.0
    assert pass_count_p(3, 5) == pytest.approx(0.08146)  # 1 - 0.9^5 - 5 * 0.9^4 * 0.1
    assert pass_count_p(0, 3) == pytest.approx(0.001)


def test_strongest_is_held_by_the_strong_seeds():
    assert holding(["strong"] * 9 + ["weak"], "strongest") == 9
    assert holding(["strong", "weak", "none"], "weak") == 2
