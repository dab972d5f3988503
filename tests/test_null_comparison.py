"""The comparative verdicts (issue 26): a network layer's class and effect sizes beside
its matched nulls', with Heaps' h from the scaling tables where given; hand-made tables
with known answers."""

import numpy as np
import polars as pl
import pytest

from scaleinv.analysis.nulls import FIT_COLUMNS, comparison_table, interval, write_comparison
from scaleinv.errors import ScaleinvError
from scaleinv.tables import write_table


def fits_rows(experiment, epoch, classes, curvatures, distinct, beta=0.88, control="none",
              match=None):  # fmt: skip
    """Fits rows of layer z2 (training split) per seed, plus rows the comparison must skip:
    the input x, the test split and an earlier snapshot; `control` and `match`: the
    experiment's facts (a null's kind and what it matches)."""
    rows = []
    for seed, (evidence, curvature) in enumerate(zip(classes, curvatures, strict=True)):
        base = dict(experiment=experiment, seed=seed, epoch=epoch, layer="z2", split="train",
                    beta=beta, curvature=curvature, curvature_low=curvature - 0.02,
                    curvature_high=curvature + 0.02, decades=2.6, distinct=distinct,
                    H_Z=7.0, evidence=evidence, status="ok", control=control,
                    match=match)  # fmt: skip
        rows.append(base)
        rows.append({**base, "layer": "x", "evidence": "strongest"})
        rows.append({**base, "split": "test", "evidence": "strongest"})
        if epoch:
            rows.append({**base, "epoch": 0, "evidence": "collapsed"})
    return rows


def fits_frame():
    rows = fits_rows("mlp", 15, ["weak", "weak", "weak"], [-0.06, -0.04, -0.02], 3010)
    rows += fits_rows("mlp_projection", 0, ["none", "super-weak", "none"], [0.1] * 3, 3021, 2.5,
                      control="random_projection", match="distinct")  # fmt: skip
    return pl.DataFrame(rows, infer_schema_length=None).select(FIT_COLUMNS)


def scaling_frame():
    return pl.DataFrame(
        {"seed": [0, 1, 2, 0], "epoch": [15, 15, 15, 15], "layer": ["z2", "z2", "z2", "z3"],
         "split": ["train"] * 4, "heaps": [0.6, 0.65, 0.7, 0.3],
         "heaps_low": [0.58, 0.63, 0.68, 0.2], "heaps_high": [0.62, 0.67, 0.72, 0.4],
         "consistency": [0.22, 0.24, 0.26, 0.5], "p_occupancy_pair": [0.005, 0.01, 0.3, 0.5],
         "beta": [0.8, 0.9, 0.9, 1.0]}
    )  # fmt: skip


NULLS = {"mlp": {"mlp_projection": ("random_projection", "distinct")}}


def test_a_layer_is_read_beside_its_matched_null_and_heaps_h():
    table = comparison_table(fits_frame(), NULLS, {"mlp": scaling_frame()})
    assert table.select("target", "layer", "experiment", "role", "control", "match").rows() == [
        ("mlp", "z2", "mlp", "network", "none", None),
        ("mlp", "z2", "mlp_projection", "random_projection", "random_projection", "distinct"),
    ]
    network, null = table.rows(named=True)
    assert (network["evidence"], network["held"], network["seeds"]) == ("weak", 3, 3)
    # the seeds' t interval: sd 0.02, sem 0.02 / sqrt(3), t(0.975, 2) = 4.303
    assert network["curvature_low"] == pytest.approx(-0.04 - 4.303 * 0.02 / np.sqrt(3), abs=1e-3)
    assert network["heaps"] == pytest.approx(0.65) and network["consistency"] == pytest.approx(0.24)
    assert (null["evidence"], null["held"], null["distinct"]) == ("none", 3, 3021)
    assert null["heaps"] is None  # no scaling table for the null: empty in the TSV
    assert network["comparison"] == (
        "mlp z2: weak in 3/3, curvature -0.04 [-0.09, 0.01] over 2.6 decades, 3010 distinct "
        "codes, Heaps h = 0.65 [0.53, 0.77] vs beta 0.88 (occupancy pair p = 0.01); "
        "random_projection at the same distinct count: none in 3/3, curvature 0.10 "
        "[0.10, 0.10] over 2.6 decades, 3021 distinct codes"
    )


def test_a_null_short_of_its_match_says_what_it_reached():
    """The shuffled-input null of `ae` z2 made 3,315 distinct codes against the layer's
    16,858 (robustness run): its row must not claim the same distinct count."""
    rows = fits_rows("mlp", 15, ["weak"] * 3, [-0.04] * 3, 3010)
    rows += fits_rows("mlp_shuffled", 0, ["none"] * 3, [0.1] * 3, 1200,
                      control="shuffled_inputs", match="distinct")  # fmt: skip
    frame = pl.DataFrame(rows, infer_schema_length=None).select(FIT_COLUMNS)
    table = comparison_table(frame, {"mlp": {"mlp_shuffled": ("shuffled_inputs", "distinct")}})
    assert (
        "; shuffled_inputs short of the same distinct codes (1200 against 3010): none"
        in (table["comparison"][0])
    )
    within = comparison_table(fits_frame(), NULLS)["comparison"][0]  # 3021 against 3010
    assert "random_projection at the same distinct count: none" in within


def test_without_scaling_tables_or_nulls_a_layer_stands_alone():
    table = comparison_table(fits_frame(), {})
    assert table["role"].to_list() == ["network", "network"]  # the null read as any other
    assert table["comparison"][0] == (
        "mlp z2: weak in 3/3, curvature -0.04 [-0.09, 0.01] over 2.6 decades, 3010 distinct codes"
    )


def test_one_seed_keeps_its_own_interval():
    assert interval([0.5], [0.4], [0.7]) == (0.5, 0.4, 0.7)
    assert all(np.isnan(interval([np.nan], [0.1], [0.2])))


def test_the_comparison_table_is_written_and_a_foreign_scaling_table_refused(tmp_path):
    fits = tmp_path / "fits.parquet"
    write_table(fits_frame(), fits)
    scaling = tmp_path / "mlp.tsv"
    scaling_frame().write_csv(scaling, separator="\t")
    out = tmp_path / "comparison.tsv"
    nulls = {"mlp": {"mlp_projection": ["random_projection", "distinct"]}}  # params are lists
    write_comparison([fits], nulls, {"mlp": scaling}, out)
    written = pl.read_csv(out, separator="\t")
    assert written["heaps"].to_list()[0] == 0.65 and written.height == 2
    scaling_frame().drop("consistency").write_csv(scaling, separator="\t")
    with pytest.raises(ScaleinvError, match="mlp.tsv lacks the columns consistency"):
        write_comparison([fits], nulls, {"mlp": scaling}, out)
