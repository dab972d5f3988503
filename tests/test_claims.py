"""The claims' written rules on fits tables with known outcomes."""

import numpy as np
import polars as pl
import pytest

from scaleinv.analysis.claims import Tables, claims_table, ising, phase, power_law, relevance
from scaleinv.analysis.fits import SCHEMA
from scaleinv.ising import T_CRITICAL
from scaleinv.tables import GROUP

NO_INFORMATION = pl.DataFrame(
    schema={**{key: SCHEMA[key] for key in GROUP}, "M": pl.Int64, "distinct": pl.Int64,
            "H_Z": pl.Float64, "H_K": pl.Float64}
)  # fmt: skip


def fits(rows):
    """A fits frame of hidden layers z1 (training split, epoch 5): rows are (experiment,
    seed, p, p_whole), p None for a degenerate layer."""
    records = []
    for experiment, seed, p, p_whole in rows:
        key = {"experiment": experiment, "seed": seed, "epoch": 5, "layer": "z1", "split": "train"}
        if p is None:
            records.append({**key, "status": "degenerate: 2 distinct sizes"})
        else:
            records.append(
                {**key, "status": "ok", "beta": 1.0, "se": 0.1, "p_value": p, "p_whole": p_whole,
                 "tail_codes": 0.3, "decades": 1.5, "llr_lognormal": 1.0, "p_lognormal": 0.5}
            )  # fmt: skip
    return pl.DataFrame(records, schema=SCHEMA)


def tables(frame, temperatures=None, information=NO_INFORMATION):
    return Tables(frame, information, pl.DataFrame(), temperatures or {}, critical_window=0.05)


@pytest.mark.parametrize(
    "rows, verdict",
    [
        ([("a", s, 0.5, 0.4) for s in range(5)], "supported"),  # whole range in every seed
        ([("a", s, 0.5, 0.01) for s in range(5)], "partly"),  # a tail only
        ([("a", 0, 0.5, 0.5), ("a", 1, 0.01, 0.5), ("a", 2, None, None)], "not supported"),
    ],
)
def test_power_law_rule(rows, verdict):
    assert power_law(tables(fits(rows)), ["a"])[0] == verdict


def test_ising_rule_reads_each_side_of_the_critical_temperature():
    temperatures = {"cold": "1.53", "hot": "3.28"}
    expected = [("cold", 0, 0.01, 0.0), ("hot", 0, 0.5, 0.5)]
    assert ising(tables(fits(expected), temperatures), ["cold", "hot"])[0] == "supported"
    reversed_ = [("cold", 0, 0.5, 0.5), ("hot", 0, 0.01, 0.0)]
    assert ising(tables(fits(reversed_), temperatures), ["cold", "hot"])[0] == "not supported"
    only_hot = ising(tables(fits(expected[1:]), temperatures), ["hot"])
    assert only_hot == (
        "not testable here",
        "needs temperatures below and in or above T_c = 2.269 +- 5%",
    )


PAPER = {"ising_ae_T1.53": "1.53", "ising_ae_T2.26": "2.26", "ising_ae_T3.28": "3.28"}


@pytest.mark.parametrize(
    "p_cold, verdict",
    [(0.01, "supported"), (0.5, "partly")],  # 1.53 shows no power law / passes as well
)
def test_the_papers_critical_temperature_counts_as_critical_not_low(p_cold, verdict):
    """The paper's T_c = 2.26 lies 0.4 % below Onsager's 2.269: inside the window, so a tail
    there supports the claim instead of refuting it."""
    rows = [("ising_ae_T1.53", 0, p_cold, 0.0), ("ising_ae_T2.26", 0, 0.5, 0.0),
            ("ising_ae_T3.28", 0, 0.5, 0.0)]  # fmt: skip
    found, evidence = ising(tables(fits(rows), PAPER), list(PAPER))
    assert found == verdict
    assert (
        evidence.startswith("low T: ising_ae_T1.53 z1") and "critical T: ising_ae_T2.26" in evidence
    )
    assert "high T: ising_ae_T3.28" in evidence


@pytest.mark.parametrize(
    "temperature, expected",
    [
        (T_CRITICAL * 0.95 - 1e-9, "low"),
        (T_CRITICAL * 0.95, "critical"),
        ("2.26", "critical"),
        ("2.345", "critical"),  # the specific-heat peak of the 10 x 10 torus (Kaufman 1949)
        (T_CRITICAL * 1.05, "critical"),
        (T_CRITICAL * 1.05 + 1e-9, "high"),
        ("1.53", "low"),
        ("3.28", "high"),
    ],
)
def test_the_critical_window_includes_its_bounds(temperature, expected):
    assert phase(temperature, 0.05) == expected


def test_a_zero_window_splits_at_onsagers_critical_temperature():
    assert phase("2.26", 0.0) == "low" and phase(T_CRITICAL, 0.0) == "critical"
    assert phase("2.27", 0.0) == "high"


def test_evidence_names_the_numbers_behind_a_verdict():
    frame = fits([("a", s, 0.5, 0.01) for s in range(3)])
    table = claims_table(tables(frame), {"C1": ["a"]})
    row = table.filter(pl.col("claim") == "C1").row(0, named=True)
    assert row["experiments"] == "a" and row["verdict"] == "partly"
    assert row["evidence"] == (
        "a z1, 3 seeds: beta 1.00 [1.00, 1.00], CSN pass 100%, whole-range pass 0%, "
        "tail 30% of codes over 1.5 decades (tail)"
    )


def information(rows):
    """An information frame of hidden layers (training split, epoch 5): rows are
    (experiment, layer, sizes) with one code of each listed size."""
    records = []
    for experiment, layer, sizes in rows:
        sizes = np.asarray(sizes, np.float64)
        M = sizes.sum()
        q = sizes / M
        records.append(
            {"experiment": experiment, "seed": 0, "epoch": 5, "layer": layer, "split": "train",
             "M": int(M), "distinct": len(sizes), "H_Z": float(np.sum(q * np.log(M / sizes))),
             "H_K": float(-np.sum(q * np.log(q)))}
        )  # fmt: skip
    return pl.DataFrame(records, schema=NO_INFORMATION.schema)


STAIRCASE = ("a", "z1", np.arange(1, 347))  # M = 60,031; it scored 1.03 on the old curve


@pytest.mark.parametrize(
    "rows, verdict",
    [
        ([STAIRCASE], "supported"),
        ([STAIRCASE, ("a", "z2", [1] * 10 + [100] * 5)], "partly"),
        ([STAIRCASE, ("a", "z2", [1] * 500), ("a", "z3", [500])], "not supported"),
    ],
)
def test_relevance_rule_reads_the_ratio_to_the_maximal_relevance_bound(rows, verdict):
    """The staircase sits at 0.97 of the bound; 10 singletons and five clusters of 100 at
    0.50; all singletons and one cluster are at the ends, where the ratio is undefined."""
    found, evidence = relevance(tables(fits([]), information=information(rows)), ["a"])
    assert found == verdict
    assert evidence.startswith("H(K) / maximal relevance at the same M and H(Z): a z1 seed 0 0.97")
    if len(rows) == 3:
        assert evidence.endswith("a z2 seed 0 nan, a z3 seed 0 nan")
