"""The claims' written rules on fits tables with known outcomes."""

import numpy as np
import polars as pl
import pytest

from scaleinv.analysis.claims import (
    Tables,
    claims_table,
    control,
    homogeneity,
    ising,
    learning,
    phase,
    power_law,
    relevance,
    robustness,
    write_claims,
)
from scaleinv.analysis.fits import SCHEMA, with_evidence, with_facts
from scaleinv.analysis.information import with_frontier
from scaleinv.ising import T_CRITICAL
from scaleinv.plan.claims import RowFacts
from scaleinv.tables import GROUP, write_table

NO_INFORMATION = pl.DataFrame(
    schema={**{key: SCHEMA[key] for key in GROUP}, "M": pl.Int64, "distinct": pl.Int64,
            "H_Z": pl.Float64, "H_K": pl.Float64, "relevance_max": pl.Float64,
            "beta_frontier": pl.Float64}
)  # fmt: skip


RESOLVED = {"M": 60_000, "distinct": 3_000, "H_Z": 7.0}  # a layer neither collapsed nor unique


def fits(rows, epoch=5, layer="z1", code="sigmoid > 0.5", facts=None, **columns):
    """A fits frame of one hidden layer (training split) with its evidence class: rows are
    (experiment, seed, p, p_whole), p None for a degenerate layer; a passing tail holds 400
    codes over 1.5 decades (`weak` unless `columns` say otherwise); `facts`: RowFacts
    fields of every row (none: a network's layer)."""
    records = []
    for experiment, seed, p, p_whole in rows:
        key = {"experiment": experiment, "seed": seed, "epoch": epoch, "layer": layer,
               "split": "train", "code": code, **RESOLVED}  # fmt: skip
        if p is None:
            records.append({**key, "status": "degenerate: 2 distinct sizes", **columns})
        else:
            records.append(
                {**key, "status": "ok", "beta": 1.0, "se": 0.1, "p_value": p, "p_whole": p_whole,
                 "xmin_common": 3, "beta_common": 1.0,
                 "tail_codes": 0.3, "decades": 1.5, "n_tail": 400, "llr_lognormal": 1.0,
                 "p_lognormal": 0.5, **columns}
            )  # fmt: skip
    schema = {**SCHEMA, "M": pl.Int64, "distinct": pl.Int64, "H_Z": pl.Float64}
    frame = with_evidence(pl.DataFrame(records, schema=schema))
    return with_facts(frame, RowFacts(**(facts or {})).as_params())


def tables(frame, temperatures=None, information=NO_INFORMATION, sweeps=None):
    """Tables of fits `frame`, each experiment at its temperature in `temperatures` ({id:
    T as the config writes it}), as the plan's facts give it."""
    if temperatures:
        temperature = {id: float(T) for id, T in temperatures.items()}
        frame = frame.with_columns(
            pl.col("experiment").replace_strict(temperature, default=None).alias("temperature")
        )
    sweeps = pl.DataFrame() if sweeps is None else sweeps
    return Tables(frame, information, sweeps, critical_window=0.05)


@pytest.mark.parametrize(
    "rows, exact, approximate",
    [
        ([("a", s, 0.5, 0.4) for s in range(5)], "supported", "supported"),  # whole range
        ([("a", s, 0.5, 0.01) for s in range(5)], "partly", "supported"),  # a tail only
        ([("a", 0, 0.5, 0.5), ("a", 1, 0.01, 0.5), ("a", 2, None, None)], "not supported",
         "not supported"),  # weak in 1 of 3 seeds
    ],
)  # fmt: skip
def test_power_law_rule(rows, exact, approximate):
    verdicts = power_law(tables(fits(rows)), ["a"])
    assert (verdicts.exact, verdicts.approximate) == (exact, approximate)


def test_a_short_tail_passes_exactly_but_is_not_approximately_scale_invariant():
    """0.8 decades: the CSN test passes, but the ladder stops at `weakest`."""
    verdicts = power_law(tables(fits([("a", s, 0.5, 0.01) for s in range(3)], decades=0.8)), ["a"])
    assert (verdicts.exact, verdicts.approximate) == ("partly", "not supported")


KMEANS = {"control": "kmeans"}


def test_k_means_must_sit_below_the_networks_drawn_with_it():
    network = fits([("rbm", s, 0.5, 0.01) for s in range(3)])
    below = fits([("kmeans", s, 0.01, 0.0) for s in range(3)], code="cluster id",
                 facts=KMEANS, llr_lognormal=-9.0, p_lognormal=0.01)  # fmt: skip
    verdicts = control(tables(pl.concat([network, below])), ["kmeans", "rbm"])
    assert (verdicts.exact, verdicts.approximate) == ("supported", "supported")
    assert verdicts.evidence.startswith("kmeans z1, 3 seeds")
    level = fits([("kmeans", s, 0.5, 0.01) for s in range(3)], code="cluster id", facts=KMEANS)
    verdicts = control(tables(pl.concat([network, level])), ["kmeans", "rbm"])
    assert (verdicts.exact, verdicts.approximate) == ("partly", "not supported")
    assert control(tables(network), ["rbm"]).approximate == "not testable here"


def test_learning_reads_collapse_at_epoch_0_and_a_beginning_after_one_epoch():
    collapsed = fits([("mlp", s, None, None) for s in range(3)], epoch=0, layer="z2",
                     M=60_000, distinct=20, H_Z=0.5)  # fmt: skip
    learned = fits([("mlp", s, 0.5, 0.0) for s in range(3)], epoch=1, decades=0.8)
    verdicts = learning(tables(pl.concat([collapsed, learned])), ["mlp"])
    assert (verdicts.exact, verdicts.approximate) == ("supported", "supported")
    assert verdicts.evidence.startswith("epoch 0: z2 seed 0: 20 codes, H(Z)/ln M 0.05 (collapsed)")
    kept = fits([("mlp", s, None, None) for s in range(3)], epoch=0, layer="z2", distinct=500,
                H_Z=0.5)  # fmt: skip
    verdicts = learning(tables(pl.concat([kept, learned])), ["mlp"])
    assert (verdicts.exact, verdicts.approximate) == ("partly", "partly")


def sweep_rows(point, betas, p=0.5, axis="threshold"):
    """One sweep point's fits rows (3 seeds), as the sweep tables hold them: point
    `mlp_t.threshold=0.3` is the point of sweep mlp_t at threshold 0.3, based on mlp."""
    sweep, value = point.split(f".{axis}=")
    facts = {"sweep": sweep, "base": "mlp", "axis": (axis,), "value": (value,)}
    rows = fits([(point, s, p, 0.0) for s in range(3)], facts=facts)
    return rows.with_columns(pl.Series("beta_common", betas))


BASE = fits([("mlp", s, 0.5, 0.0) for s in range(3)]).with_columns(
    pl.Series("beta_common", [0.99, 1.0, 1.01])
)


def test_robustness_asks_the_result_to_survive_at_every_point():
    same = pl.concat([sweep_rows(f"mlp_t.threshold={t}", [0.98, 1.0, 1.02]) for t in (0.3, 0.7)])
    verdicts = robustness(tables(BASE, sweeps=same), ["mlp_t"])
    assert (verdicts.exact, verdicts.approximate) == ("supported", "supported")
    assert (
        "mlp_t z1: base weak, points weak, weak; beta ANOVA p = 1.00, I^2 = 0.00"
        in verdicts.evidence
    )
    lost = pl.concat([same.filter(pl.col("experiment").str.ends_with("0.3")),
                      sweep_rows("mlp_t.threshold=0.7", [1.0] * 3, p=0.01)])  # fmt: skip
    verdicts = robustness(tables(BASE, sweeps=lost), ["mlp_t"])
    assert (verdicts.exact, verdicts.approximate) == ("partly", "not supported")  # 1 of 2 points


def test_a_threshold_must_keep_beta_but_a_width_may_change_it():
    def moved(axis):
        return pl.concat(
            [sweep_rows(f"mlp_t.{axis}=0.3", [0.98, 1.0, 1.02], axis=axis),
             sweep_rows(f"mlp_t.{axis}=0.7", [1.98, 2.0, 2.02], axis=axis)]
        )  # fmt: skip

    verdicts = robustness(tables(BASE, sweeps=moved("threshold")), ["mlp_t"])
    assert verdicts.approximate == "not supported"  # every point weak, but beta moved
    assert "I^2 = 1.00" in verdicts.evidence
    assert robustness(tables(BASE, sweeps=moved("width3")), ["mlp_w"]).approximate == ("supported")


def test_nothing_survives_where_nothing_was_scale_free():
    none = pl.concat([sweep_rows(f"mlp_t.threshold={t}", [1.0] * 3, p=0.01) for t in (0.3, 0.7)])
    base = fits([("mlp", s, 0.01, 0.0) for s in range(3)], llr_lognormal=-9.0, p_lognormal=0.01)
    verdicts = robustness(tables(base, sweeps=none), ["mlp_t"])
    assert verdicts.approximate == "not supported"


def test_homogeneity_is_the_anova_of_beta_across_points():
    p, i2 = homogeneity([[1.0, 1.1, 0.9], [1.0, 1.1, 0.9]])
    assert p == pytest.approx(1.0) and i2 == 0.0
    p, i2 = homogeneity([[1.0, 1.01, 0.99], [2.0, 2.01, 1.99]])  # F = 15000
    assert p < 1e-6 and i2 == pytest.approx(1 - 1 / 15000)
    assert np.isnan(homogeneity([[1.0], [2.0]])[0])  # one seed a point: no test


def test_ising_rule_reads_each_side_of_the_critical_temperature():
    temperatures = {"cold": "1.53", "hot": "3.28"}
    expected = [("cold", 0, 0.01, 0.0), ("hot", 0, 0.5, 0.5)]
    verdicts = ising(tables(fits(expected), temperatures), ["cold", "hot"])
    assert (verdicts.exact, verdicts.approximate) == ("supported", "supported")
    reversed_ = [("cold", 0, 0.5, 0.5), ("hot", 0, 0.01, 0.0)]
    verdicts = ising(tables(fits(reversed_), temperatures), ["cold", "hot"])
    assert (verdicts.exact, verdicts.approximate) == ("not supported", "not supported")
    only_hot = ising(tables(fits(expected[1:]), temperatures), ["hot"])
    assert (only_hot.exact, only_hot.evidence) == (
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
    verdicts = ising(tables(fits(rows), PAPER), list(PAPER))
    found, evidence = verdicts.exact, verdicts.evidence
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


def test_evidence_leads_with_effect_sizes_then_the_ladder_then_the_exact_law():
    frame = fits([("a", s, 0.5, 0.01) for s in range(3)], curvature=-0.1, curvature_low=-0.2,
                 curvature_high=0.0, d_ratio=1.2, p_occupancy=0.3)  # fmt: skip
    table = claims_table(tables(frame), {"C1": ["a"]})
    row = table.filter(pl.col("claim") == "C1").row(0, named=True)
    assert row["experiments"] == "a"
    assert (row["verdict_exact"], row["verdict"]) == ("partly", "supported")
    assert row["evidence"] == (
        "a z1, 3 seeds: curvature -0.10 [-0.10, -0.10] over 1.5 decades, d_ratio 1.20; "
        "ladder: weak in 3/3 (no rival better in 3/3, CSN p >= 0.1 in 3/3); occupancy law "
        "p >= 0.1 in 3/3; beta 1.00 [1.00, 1.00] at x_min = 3; exact power law plausible "
        "above x_min (CSN p >= 0.1 in 3/3, P = 1.00 under Binomial(3, 0.9); whole range in 0/3)"
    )


def test_one_seed_is_called_indicative():
    frame = fits([("a", 0, 0.5, 0.01)], llr_lognormal=-9.0, p_lognormal=0.01)
    evidence = claims_table(tables(frame), {"C1": ["a"]})["evidence"][0]
    assert evidence.startswith("a z1, 1 seed (indicative): tail over 1.5 decades; ladder: ")
    assert "(no rival better in 0/1, CSN p >= 0.1 in 1/1)" in evidence


def information(rows):
    """An information frame of hidden layers (training split, epoch 5), with the frontier:
    rows are (experiment, layer, sizes) with one code of each listed size."""
    records = []
    for experiment, layer, sizes in rows:
        sizes = np.asarray(sizes, np.float64)
        M = sizes.sum()
        q = sizes / M
        k, m = np.unique(sizes, return_counts=True)
        records.append(
            {"experiment": experiment, "seed": 0, "epoch": 5, "layer": layer, "split": "train",
             "M": int(M), "distinct": len(sizes), "H_Z": float(np.sum(q * np.log(M / sizes))),
             "H_K": float(-np.sum(k * m / M * np.log(k * m / M)))}
        )  # fmt: skip
    frame = pl.DataFrame(records, schema={**NO_INFORMATION.schema} | {"relevance_max": None})
    return with_frontier(frame.drop("relevance_max", "beta_frontier"))


STAIRCASE = ("a", "z1", np.arange(1, 347))  # M = 60,031, every size once: on the frontier


@pytest.mark.parametrize(
    "rows, verdict",
    [
        ([STAIRCASE], "supported"),
        ([STAIRCASE, ("a", "z2", [1] * 10 + [100] * 5)], "partly"),
        ([STAIRCASE, ("a", "z2", [1] * 500), ("a", "z3", [500])], "not supported"),
    ],
)
def test_relevance_rule_reads_the_ratio_to_the_exact_frontier(rows, verdict):
    """The staircase is the frontier itself (ratio 1) but predicts no power law (the
    frontier's beta there is -0.80); 10 singletons and five clusters of 100 sit at 0.06 of
    it; all singletons and one cluster are at the ends, where the frontier is 0."""
    verdicts = relevance(tables(fits([]), information=information(rows)), ["a"])
    assert verdicts.approximate == verdict and verdicts.exact == "not supported"
    assert verdicts.evidence.startswith(
        "a z1, 1 seed: H(K) / frontier 1.00-1.00 at H(Z) 5.65-5.65 nats (gap 0.00 nats); "
        "beta no fit against the frontier's -0.80"
    )
    if len(rows) == 2:
        assert "a z2, 1 seed: H(K) / frontier 0.06-0.06" in verdicts.evidence


def test_the_fitted_beta_is_read_against_the_frontiers_slope():
    """Sec. III's prediction: on the frontier at H(Z), m(k) ~ k^(-beta-1) with beta minus
    its slope there. A layer whose fitted beta is within 20 % of it agrees."""
    layer = information([STAIRCASE]).with_columns(H_Z=pl.lit(7.5), beta_frontier=pl.lit(0.7))
    near = fits([("a", 0, 0.5, 0.0)], beta=0.75)
    far = fits([("a", 0, 0.5, 0.0)], beta=1.5)
    assert relevance(tables(near, information=layer), ["a"]).exact == "supported"
    assert relevance(tables(far, information=layer), ["a"]).exact == "not supported"


def test_a_layer_is_described_beside_its_matched_nulls():
    network = fits([("mlp", s, 0.5, 0.01) for s in range(3)], curvature=-0.04,
                   curvature_low=-0.06, curvature_high=-0.02)  # fmt: skip
    null = fits([("mlp_projection", s, 0.01, 0.0) for s in range(3)], epoch=0,
                facts={"control": "random_projection", "target": "mlp", "match": "distinct"},
                llr_lognormal=-9.0, p_lognormal=0.01, curvature=0.2, curvature_low=0.1,
                curvature_high=0.3)  # fmt: skip
    both = tables(pl.concat([network, null]))
    verdicts = power_law(both, ["mlp"])
    assert verdicts.approximate == "supported"  # the nulls inform; they do not decide
    assert verdicts.evidence.endswith(
        "; beside its nulls, weak in 3/3, curvature -0.04 [-0.04, -0.04] over 1.5 decades, "
        "3000 distinct codes; random_projection at the same distinct count: none in 3/3, "
        "curvature 0.20 [0.20, 0.20] over 1.5 decades, 3000 distinct codes"
    )
    assert "beside its nulls" not in power_law(tables(network), ["mlp"]).evidence


def claim_tables():
    """Fits, information and sweep frames on which every claim has a verdict: networks, a
    random projection matched to mlp, a k-means control, Ising temperatures, a threshold and
    a width sweep of mlp, and ({claim id: its experiment ids}, {Ising id: T})."""
    network = fits([(e, s, 0.5, 0.01) for e in ("mlp", "rbm") for s in range(3)])
    null = fits([("mlp_projection", s, 0.01, 0.0) for s in range(3)], code="matched to mlp's",
                facts={"control": "random_projection", "target": "mlp", "match": "distinct"},
                llr_lognormal=-9.0, p_lognormal=0.01)  # fmt: skip
    kmeans = fits([("kmeans", s, 0.01, 0.0) for s in range(3)], code="cluster id", facts=KMEANS,
                  llr_lognormal=-9.0, p_lognormal=0.01)  # fmt: skip
    untrained = fits([("mlp", s, None, None) for s in range(3)], epoch=0, layer="z2",
                     distinct=20, H_Z=0.5)  # fmt: skip
    once = fits([("mlp", s, 0.5, 0.0) for s in range(3)], epoch=1)
    cold, hot = ("ising_ae_T1.53", "1.53"), ("ising_ae_T3.28", "3.28")
    ising_rows = [
        fits(
            [(id, s, p, 0.0) for s in range(2)],
            code="sigmoid > 0.4",
            facts={"temperature": float(T)},
        )  # fmt: skip
        for (id, T), p in ((cold, 0.01), (hot, 0.5))
    ]
    sweeps = pl.concat(  # one point of each below the rest: the order of points shows
        [sweep_rows(f"mlp_t.threshold={t}", [0.98, 1.0, 1.02 + t], p=0.5 if t < 0.6 else 0.01)
         for t in (0.3, 0.5, 0.7)]
        + [sweep_rows(f"mlp_w.width3={w}", [1.0, 1.5, 2.0], p=0.01 if w == 4 else 0.5,
                      axis="width3") for w in (4, 16, 32)]
    )  # fmt: skip
    frame = pl.concat([network, null, kmeans, untrained, once, *ising_rows], how="diagonal")
    experiments = {"C1": ["mlp", "rbm"], "C2": ["kmeans", "rbm"], "C4": ["mlp"],
                   "C5": [cold[0], hot[0]], "C6": ["mlp_t", "mlp_w"], "C7": ["mlp"]}  # fmt: skip
    info = information([("mlp", "z1", np.arange(1, 347))])
    return frame, info, sweeps, experiments


def written_claims(tmp_path, frame, info, sweeps, experiments):
    """results/claims.tsv's bytes, written from the frames as Parquet tables."""
    paths = []
    for name, table in (("fits", frame), ("information", info), ("sweep", sweeps)):
        paths.append(tmp_path / f"{name}.parquet")
        write_table(table, paths[-1])
    out = tmp_path / "claims.tsv"
    write_claims([paths[0]], [paths[1]], [paths[2]], experiments, 0.05, out)
    return out.read_bytes()


def test_rewording_every_code_description_and_sweep_id_changes_no_claim(tmp_path):
    """The verdicts read typed facts (control, target, match, temperature, sweep, axis,
    base), never words: every code description reworded (k-means' to a network's words
    and back), every sweep point renamed so that its id names no sweep, axis or value and
    the points sort in reverse, the claims table is byte-identical."""
    frame, info, sweeps, experiments = claim_tables()
    first = written_claims(tmp_path / "a", frame, info, sweeps, experiments)
    swapped = {"cluster id": "sigmoid > 0.5", "sigmoid > 0.5": "cluster id"}
    frame = frame.with_columns(pl.col("code").replace_strict(swapped, default="reworded"))
    points = sorted(set(sweeps["experiment"]))
    renamed = {point: f"point {len(points) - i}" for i, point in enumerate(points)}
    sweeps = sweeps.with_columns(
        pl.col("experiment").replace_strict(renamed), pl.lit("reworded").alias("code")
    )
    second = written_claims(tmp_path / "b", frame, info, sweeps, experiments)
    assert second == first
    table = pl.read_csv(tmp_path / "a" / "claims.tsv", separator="\t")
    assert "not testable here" not in table.filter(pl.col("claim") != "C3")["verdict"].to_list()


def test_a_claim_says_where_it_ran_on_other_data_than_the_papers():
    """C1's RBM ran on Fashion-MNIST (the paper: MNIST), its mlp on Fashion-MNIST as the
    paper's did: the evidence names the RBM's substitution only."""
    rbm = fits(
        [("rbm", s, 0.5, 0.0) for s in range(3)], facts={"kind": "rbm", "dataset": "fashion_mnist"}
    )
    mlp = fits(
        [("mlp", s, 0.5, 0.0) for s in range(3)], facts={"kind": "mlp", "dataset": "fashion_mnist"}
    )
    table = claims_table(tables(pl.concat([rbm, mlp])), {"C1": ["mlp", "rbm"]})
    evidence = table.filter(pl.col("claim") == "C1")["evidence"][0]
    assert evidence.startswith("on fashion_mnist: rbm (the paper used mnist); mlp z1, 3 seeds")


def test_c7_reads_each_layer_beside_its_resolution_matched_nulls():
    """The network's H(K) is 0.25 nats above its matched null's in each of 3 seeds; a null
    at another H(Z) is a distance, not a test."""
    rows = []
    for experiment, h_k, h_z in (("a", 5.0, 7.0), ("a_bits", 4.75, 7.0), ("a_far", 3.0, 4.0)):
        for seed in range(3):
            rows.append({"experiment": experiment, "seed": seed, "epoch": 5, "layer": "z1",
                         "split": "train", "M": 60_000, "distinct": 3_000, "H_Z": h_z,
                         "H_K": h_k + 0.25 * seed})  # fmt: skip
    info = with_frontier(pl.DataFrame(rows).cast({"seed": pl.Int32, "epoch": pl.Int32}))
    network = fits([("a", s, 0.5, 0.0) for s in range(3)])
    bits = fits([("a_bits", s, 0.5, 0.0) for s in range(3)],
                facts={"control": "random_bits", "target": "a", "match": "both"})  # fmt: skip
    far = fits([("a_far", s, 0.5, 0.0) for s in range(3)],
               facts={"control": "random_projection", "target": "a", "match": "distinct"})  # fmt: skip
    evidence = relevance(tables(pl.concat([network, bits, far]), information=info), ["a"]).evidence
    assert evidence.endswith(
        "; beside its nulls, H(K) - null: a_bits +0.25 [+0.25, +0.25] nats (p 0.000), "
        "a_far not matched (H(Z) 4.00 against 7.00)"
    )


def test_a_null_short_of_its_match_says_what_it_reached():
    """An untrained network's deep layer cannot reach the trained one's H(Z): its words say
    so instead of 'at the same distinct count and H(Z)'."""
    network = fits([("mlp", s, 0.5, 0.01) for s in range(3)])
    null = fits([("mlp_untrained", s, 0.5, 0.01) for s in range(3)], H_Z=4.0,
                facts={"control": "untrained_network", "target": "mlp", "match": "both"})  # fmt: skip
    evidence = power_law(tables(pl.concat([network, null])), ["mlp"]).evidence
    assert "untrained_network short of the same H(Z) (4.00 against 7.00): " in evidence
