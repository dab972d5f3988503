"""The fits table: one row per group, degenerate inputs as a status, verdicts in words."""

from dataclasses import replace

import numpy as np
import polars as pl
import pytest
from snakemake.utils import validate

from conftest import REPO
from scaleinv.analysis.fits import FACTS, SCHEMA, fits_table
from scaleinv.plan.claims import RowFacts
from scaleinv.stats.layer import FitSettings
from scaleinv.stats.powerlaw_fit import sample_power_law

SETTINGS = FitSettings(
    bootstrap=20,
    occupancy_bootstrap=20,
    estimator_bootstrap=20,
)


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
    table = fits_table(_frame(sizes), replace(SETTINGS, bootstrap=10))
    row = table.row(0, named=True)
    assert row["status"] == status and row["alpha"] is None


def test_every_row_carries_its_experiments_facts_after_its_own_columns():
    facts = RowFacts(sweep="s", base="toy", axis=("threshold",), value=("0.3",))
    table = fits_table(_frame([1] * 50), SETTINGS, facts=facts.as_params())
    assert table.columns == [*SCHEMA, *FACTS]
    row = table.row(0, named=True)
    assert {name: row[name] for name in FACTS} == facts.as_params()
    assert fits_table(_frame([1] * 50), SETTINGS).row(0, named=True)["control"] == "none"


def test_fits_table_is_reproducible_and_says_when_a_power_law_is_rejected():
    rng = np.random.default_rng(11)
    settings = SETTINGS
    lognormal = _frame(np.ceil(rng.lognormal(1.0, 1.5, 20_000)).astype(np.int64))
    first, second = fits_table(lognormal, settings), fits_table(lognormal, settings)
    assert first.equals(second)
    row = first.row(0, named=True)
    assert row["status"] == "ok"
    rejected, better = row["verdict"].split("; ")
    assert rejected.startswith("power law rejected") and "lognormal" in better
    assert row["beta"] == pytest.approx(row["alpha"] - 1)


def test_a_given_xmin_and_xmax_fit_the_range_asked_for():
    sizes = sample_power_law(2.2, 1, 3000, np.random.default_rng(4))
    whole = fits_table(_frame(sizes), replace(SETTINGS, xmin=1)).row(0, named=True)
    assert (whole["xmin"], whole["xmax"], whole["n_tail"]) == (1, None, 3000)
    assert abs(whole["beta"] - 1.2) < 3 * whole["se"] and whole["p_value"] >= 0.05
    capped = fits_table(_frame(sizes), replace(SETTINGS, xmin=1, xmax=50)).row(0, named=True)
    assert capped["xmax"] == 50 and capped["n_tail"] == int((sizes <= 50).sum())
    assert abs(capped["beta"] - 1.2) < 3 * capped["se"]
    assert capped["llr_stretched_exponential"] is not None


def test_tail_extent_and_whole_range_columns_have_the_known_values():
    """A power law from k = 1 passes the whole-range test; the same tail above a flat
    body of k = 1..4 is a small, known share of the codes and fails it."""
    rng = np.random.default_rng(1)
    law = sample_power_law(2.0, 1, 5000, rng)
    row = fits_table(_frame(law), replace(SETTINGS, bootstrap=50), code="sigmoid > 0.5").row(
        0, named=True
    )
    assert row["code"] == "sigmoid > 0.5"
    assert abs(row["beta_whole"] - 1.0) < 0.05 and row["p_whole"] >= 0.1
    assert row["decades"] == pytest.approx(np.log10(law.max() / row["xmin"]))
    tail = law[law >= row["xmin"]]
    assert row["tail_codes"] == pytest.approx(len(tail) / len(law))
    assert row["tail_samples"] == pytest.approx(tail.sum() / law.sum())

    tail = sample_power_law(2.0, 20, 300, rng)
    mixed = np.concatenate([np.repeat([1, 2, 3, 4], 2000), tail])
    row = fits_table(_frame(mixed), replace(SETTINGS, bootstrap=50)).row(0, named=True)
    assert row["xmin"] >= 20 and row["tail_codes"] == (mixed >= row["xmin"]).mean() < 300 / 8300
    assert row["p_whole"] < 0.1


def test_fit_settings_come_from_the_validated_analysis_block(default_config):
    """config.yaml's `analysis`, schema defaults filled: x_min auto is None, an integer stays."""
    validate(default_config, str(REPO / "workflow/schemas/config.schema.yaml"))
    analysis = default_config["analysis"]
    default = FitSettings()
    assert FitSettings.from_config(analysis) == default
    fixed = FitSettings.from_config({**analysis, "xmin": 1, "xmax": 50})
    assert fixed == replace(default, xmin=1, xmax=50)
