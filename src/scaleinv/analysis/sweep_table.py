"""The sweep table, results/sweeps/{sweep}.parquet: one row per (point, seed, epoch, layer,
split) with the fit and information columns and the point's typed facts (`fits.FACTS`:
its sweep, axes and base, which the claims read), and beside each row its point's aggregate
over seeds (mean beta with a 95 % confidence interval, the share of seeds whose power law
passes). The aggregate alone goes to a TSV for reading.

Confidence interval: Student's t over the seeds' beta (seeds with a fit); with one seed
the fit's own standard error (a normal interval) is all there is.
"""

import numpy as np
import polars as pl
from scipy import stats

from scaleinv.analysis.fits import FACTS
from scaleinv.stats.alternatives import ALTERNATIVES
from scaleinv.stats.powerlaw_fit import SIGNIFICANCE
from scaleinv.tables import GROUP, read_frame, write_table, write_tsv

FIT_COLUMNS = [
    "code", "beta", "se", "xmin", "n_tail", "tail_codes", "tail_samples", "decades",
    "p_value", "beta_whole", "p_whole",
    *(f"{kind}_{name}" for name in ALTERNATIVES for kind in ("llr", "p")),
    "xmin_common", "beta_common", "status", "evidence",
]  # fmt: skip
INFORMATION_COLUMNS = ["M", "distinct", "H_Z", "H_K", "I_ZY", "I_ZY_mm", "I_ZY_shuffled"]
POINT = ["point", "epoch", "layer", "split"]  # one aggregate row per point and layer
CONFIDENCE = 0.95


def point_rows(point, fits_path, information_path, values):
    """The rows of one point (an experiment id): fits joined with information, plus a
    column per axis with the point's value (as its label in the point id)."""
    columns = [*GROUP, *FIT_COLUMNS, *FACTS]  # the facts: the point's sweep, axes, base
    fits = read_frame(fits_path, columns).select(columns)
    information = read_frame(information_path, [*GROUP, *INFORMATION_COLUMNS])
    rows = fits.join(information.select(*GROUP, *INFORMATION_COLUMNS), on=GROUP, how="left")
    return rows.with_columns(
        pl.lit(point).alias("point"), *(pl.lit(str(v)).alias(a) for a, v in values.items())
    )


def confidence_interval(betas, ses):
    """(mean, low, high) of beta over seeds; NaN when no seed has a fit."""
    betas, ses = np.asarray(betas, float), np.asarray(ses, float)
    if len(betas) == 0:
        return (np.nan,) * 3
    mean = float(betas.mean())
    if len(betas) == 1:
        half = stats.norm.ppf(0.5 + CONFIDENCE / 2) * float(ses[0])
    else:
        sem = betas.std(ddof=1) / np.sqrt(len(betas))
        half = stats.t.ppf(0.5 + CONFIDENCE / 2, len(betas) - 1) * sem
    return mean, mean - half, mean + half


def aggregate(rows):
    """One row per (point, epoch, layer, split): seeds, how many were fitted, mean beta
    with its 95 % CI, and the pass rates (CSN p >= 0.1; whole-range p >= 0.1), where a
    seed without a fit (degenerate codes) counts as not passing."""
    out = []
    for key, group in rows.sort("seed").group_by(POINT, maintain_order=True):
        fitted = group.filter(pl.col("status") == "ok")
        mean, low, high = confidence_interval(fitted["beta"], fitted["se"])
        seeds = group.height
        out.append(
            {
                **dict(zip(POINT, key, strict=True)),
                "seeds": seeds,
                "fitted": fitted.height,
                "beta_mean": mean,
                "beta_low": low,
                "beta_high": high,
                "pass_rate": (fitted["p_value"] >= SIGNIFICANCE).sum() / seeds,
                "whole_pass_rate": (fitted["p_whole"].fill_null(0) >= SIGNIFICANCE).sum() / seeds,
                "tail_codes": fitted["tail_codes"].mean(),
                "decades": fitted["decades"].mean(),
            }
        )
    return pl.DataFrame(out).sort(POINT).fill_nan(None)


def sweep_table(points):
    """(rows with their point's aggregate, the aggregate with the axis values) of a sweep;
    points is [(point id, fits path, information path, {axis: value})]."""
    axes = list(dict.fromkeys(axis for *_, values in points for axis in values))
    rows = pl.concat([point_rows(*point) for point in points], how="diagonal")
    rows = rows.sort(["point", "seed", "epoch", "layer", "split"])
    summary = aggregate(rows)
    values = rows.select("point", *axes).unique(maintain_order=True)
    return rows.join(summary, on=POINT, how="left"), values.join(summary, on="point")


def write_sweep_table(points, table_path, summary_path):
    """results/sweeps/{sweep}.parquet (rows with their point's aggregate) and the
    aggregate alone as a TSV."""
    rows, summary = sweep_table(points)
    write_table(rows, table_path)
    write_tsv(summary, summary_path)
