"""The sweep table: rows per seed, and the aggregate over seeds with known answers."""

import math

import polars as pl
import pytest

from scaleinv.analysis.fits import SCHEMA, with_facts
from scaleinv.analysis.sweep_table import sweep_table
from scaleinv.tables import write_table


def _tables(tmp_path, point, fits):
    """Fits and information tables of one point: fits rows {seed: (beta, se, p, p_whole)},
    None for a degenerate seed."""
    rows = []
    for seed, values in fits.items():
        key = {"experiment": point, "seed": seed, "epoch": 5, "layer": "z1", "split": "train"}
        if values is None:
            rows.append({**key, "status": "degenerate: all 9 codes have the same size k = 1"})
            continue
        beta, se, p, p_whole = values
        rows.append(
            {
                **key, "beta": beta, "se": se, "p_value": p, "p_whole": p_whole,
                "tail_codes": 0.5, "decades": 2.0, "status": "ok",
            }
        )  # fmt: skip
    fits_path, information_path = tmp_path / f"{point}.fits", tmp_path / f"{point}.info"
    write_table(with_facts(pl.DataFrame(rows, schema=SCHEMA)), fits_path)
    information = pl.DataFrame([{**{k: r[k] for k in list(r)[:5]}, "M": 9} for r in rows])
    write_table(
        information.with_columns(
            *(pl.lit(0.0).alias(c) for c in ("H_Z", "H_K", "I_ZY", "I_ZY_mm", "I_ZY_shuffled")),
            pl.lit(3).alias("distinct"),
        ),
        information_path,
    )
    return fits_path, information_path


def test_confidence_interval_and_pass_rates_over_seeds(tmp_path):
    points = [
        (
            "s.lr=0.1",
            *_tables(
                tmp_path,
                "s.lr=0.1",
                {
                    0: (1.0, 0.05, 0.5, 0.01),
                    1: (1.2, 0.05, 0.05, 0.2),
                    2: (1.4, 0.05, 0.3, 0.0),
                    3: None,
                },
            ),
            {"lr": 0.1},
        ),  # fmt: skip
        ("s.lr=0.2", *_tables(tmp_path, "s.lr=0.2", {0: (2.0, 0.1, 0.9, 0.9)}), {"lr": 0.2}),
    ]
    rows, summary = sweep_table(points)
    assert rows.height == 5 and rows["lr"].to_list() == ["0.1"] * 4 + ["0.2"]
    first, second = summary.sort("point").rows(named=True)
    # three fitted seeds: mean 1.2, sd 0.2, t(0.975, 2) = 4.302653
    half = 4.302653 * 0.2 / math.sqrt(3)
    assert (first["seeds"], first["fitted"]) == (4, 3)
    assert first["beta_mean"] == pytest.approx(1.2)
    assert (first["beta_low"], first["beta_high"]) == pytest.approx((1.2 - half, 1.2 + half))
    assert first["pass_rate"] == 0.5 and first["whole_pass_rate"] == 0.25  # degenerate fails
    # one seed: the fit's own standard error, 1.959964 se
    assert (second["beta_low"], second["beta_high"]) == pytest.approx((1.8040, 2.1960), abs=1e-4)
    assert second["pass_rate"] == 1.0 and second["lr"] == "0.2"
    # every row carries its point's aggregate
    assert rows.filter(pl.col("seed") == 3)["beta_mean"][0] == pytest.approx(1.2)
