"""The fits table: one row per group, degenerate inputs as a status, verdicts in words."""

import numpy as np
import polars as pl
import pytest

from scaleinv.fits import fits_table


def _frame(sizes):
    k, m = np.unique(sizes, return_counts=True)
    return pl.DataFrame(
        {
            "experiment": "toy",
            "seed": 0,
            "epoch": 1,
            "layer": "z1",
            "split": "train",
            "k": k.astype(np.uint32),
            "m": m.astype(np.uint32),
        }
    )


@pytest.mark.parametrize(
    "sizes, status",
    [
        ([1] * 50, "degenerate: all 50 codes have the same size k = 1"),
        ([1, 1, 2, 3], "degenerate: 3 distinct sizes (fewer than min_distinct = 5)"),
        ([60000], "degenerate: all 1 codes have the same size k = 60000"),
    ],
)
def test_degenerate_distributions_give_a_status_row(sizes, status):
    table = fits_table(
        _frame(sizes), {"bootstrap": 10, "min_distinct": 5, "min_tail": 10, "seed": 0}
    )
    row = table.row(0, named=True)
    assert row["status"] == status and row["alpha"] is None


def test_fits_table_is_reproducible_and_says_when_a_power_law_is_rejected():
    rng = np.random.default_rng(11)
    settings = {"bootstrap": 20, "min_distinct": 5, "min_tail": 10, "seed": 0}
    lognormal = _frame(np.ceil(rng.lognormal(1.0, 1.5, 20_000)).astype(np.int64))
    first, second = fits_table(lognormal, settings), fits_table(lognormal, settings)
    assert first.equals(second)
    row = first.row(0, named=True)
    assert row["status"] == "ok"
    rejected, better = row["verdict"].split("; ")
    assert rejected.startswith("power law rejected") and "lognormal" in better
    assert row["beta"] == pytest.approx(row["alpha"] - 1)
