"""The fits table: for every (experiment, seed, epoch, layer, split) the CSN power-law fit of
its cluster sizes, the bootstrap p-value, the tests against alternatives, how much of the
data the tail holds, the whole-range fit (x_min = 1: the straight line the paper reads off
its plots), the paper's log-log slope, and a plain-words verdict. Degenerate inputs get a
status, not an error."""

import logging
from dataclasses import dataclass, fields, replace

import numpy as np
import polars as pl

from scaleinv.analysis.alternatives import ALTERNATIVES, compare, fit_cutoff
from scaleinv.analysis.degeneracy import read_degeneracy, sizes_of
from scaleinv.analysis.powerlaw_fit import bootstrap_p_value, fit
from scaleinv.tables import GROUP, group_seed, read_frame, write_table, write_tsv

log = logging.getLogger(__name__)

SIGNIFICANCE = 0.1  # CSN: a power law is ruled out when the bootstrap p < 0.1


@dataclass(frozen=True)
class FitSettings:
    """The `analysis` settings of config.yaml (described, with their defaults, in
    workflow/schemas/config.schema.yaml)."""

    bootstrap: int  # replicates of the bootstrap p-value
    min_distinct: int  # fewer distinct sizes: a degenerate row
    min_tail: int  # fewest sizes at or above a candidate x_min
    seed: int  # of the bootstrap streams
    xmin: int | None  # None: chosen by the KS distance (config: auto)
    xmax: int | None  # None: no upper end

    @classmethod
    def from_config(cls, analysis):
        """From the validated `analysis` block (schema defaults filled)."""
        values = {field.name: analysis[field.name] for field in fields(cls)}
        return cls(**{**values, "xmin": None if values["xmin"] == "auto" else values["xmin"]})


def ols_slope(degeneracy_group):
    """Least-squares slope of log m(k) against log k over all sizes: what the paper reads
    off its log-log plots (about -(beta + 1) for a clean power law)."""
    k = degeneracy_group["k"].to_numpy().astype(np.float64)
    m = degeneracy_group["m"].to_numpy().astype(np.float64)
    return float(np.polyfit(np.log(k), np.log(m), 1)[0]) if len(k) > 1 else float("nan")


def degenerate_status(degeneracy_group, min_distinct):
    """Why a group's cluster sizes cannot be fitted, or None when they can (one row per
    distinct size k)."""
    distinct = degeneracy_group.height
    if distinct == 1:
        codes, k = degeneracy_group["m"][0], degeneracy_group["k"][0]
        return f"degenerate: all {codes} codes have the same size k = {k}"
    if distinct < min_distinct:
        return f"degenerate: {distinct} distinct sizes (fewer than min_distinct = {min_distinct})"
    return None


def fits_better(ratio, p):
    """Whether an alternative fits significantly better than the power law, from its
    log-likelihood ratio R (negative: the alternative is likelier) and that test's p;
    works on numbers and on Polars columns alike."""
    return (ratio < 0) & (p < SIGNIFICANCE)


def verdict(p_value, tests):
    """Plain words: is the power law ruled out, and which alternative does better?"""
    if p_value < SIGNIFICANCE:
        words = f"power law rejected (p = {p_value:.3f} < {SIGNIFICANCE})"
    else:
        words = f"power law plausible (p = {p_value:.3f})"
    better = [name for name, (ratio, p) in tests.items() if fits_better(ratio, p)]
    return words + (f"; {', '.join(better)} fits better" if better else "")


def tail_extent(sizes, tail, xmin):
    """How much a fit's tail (the sizes in [x_min, x_max]) holds: its share of the codes and
    of the samples, and the decades of k it spans (a 'power law' over half a decade says
    little)."""
    return {
        "tail_codes": len(tail) / len(sizes),
        "tail_samples": float(tail.sum() / sizes.sum()),
        "decades": float(np.log10(tail.max() / xmin)),
    }


def p_value_of(sizes, result, settings, rng, threads):
    """The bootstrap p-value of fit `result`, whose replicates refit x_min unless the
    settings fix it."""
    return bootstrap_p_value(
        sizes,
        result,
        settings.bootstrap,
        rng,
        min_tail=settings.min_tail,
        threads=threads,
        fixed_xmin=settings.xmin is not None,
    )


def whole_range(sizes, settings, rng, threads):
    """beta and bootstrap p of the power law fitted from x_min = 1 (None: no fit)."""
    settings = replace(settings, xmin=1)
    result = fit(sizes, settings.min_tail, settings.xmin, settings.xmax)
    if result is None:
        return {}
    return {
        "beta_whole": result.alpha - 1,
        "p_whole": p_value_of(sizes, result, settings, rng, threads),
    }


def fit_group(key, degeneracy_group, settings, code="", threads=1):
    """The fits row of one group (`key`: its GROUP values) under FitSettings `settings`."""
    row = dict(zip(GROUP, key, strict=True))
    row["code"] = code
    sizes = sizes_of(degeneracy_group)
    row["ols_slope"] = ols_slope(degeneracy_group)
    status = degenerate_status(degeneracy_group, settings.min_distinct)
    result = None if status else fit(sizes, settings.min_tail, settings.xmin, settings.xmax)
    if result is None:
        return {
            **row,
            "status": status or f"degenerate: no x_min leaves {settings.min_tail} points",
        }
    rng = group_seed(settings.seed, key)
    p_value = p_value_of(sizes, result, settings, rng, threads)
    tail = sizes[(sizes >= result.xmin) & (sizes <= (result.xmax or sizes.max()))]
    cutoff = fit_cutoff(tail, result.alpha, result.xmin, result.xmax)
    tests = compare(tail, result.alpha, result.xmin, result.xmax, cutoff)
    row.update(tail_extent(sizes, tail, result.xmin), **whole_range(sizes, settings, rng, threads))
    row.update(
        alpha=result.alpha,
        beta=result.alpha - 1,  # Eq. (7): m(k) ~ k^(-beta-1)
        se=result.se,
        xmin=result.xmin,
        xmax=result.xmax,
        n_tail=result.n_tail,
        ks_d=result.ks_d,
        p_value=p_value,
        cutoff_alpha=cutoff[0],
        cutoff_lambda=cutoff[1],
        status="ok",
        verdict=verdict(p_value, tests),
    )
    for name, (ratio, p) in tests.items():
        row[f"llr_{name}"], row[f"p_{name}"] = ratio, p
    return row


SCHEMA = {
    **{
        name: dtype
        for name, dtype in zip(
            GROUP, (pl.String, pl.Int32, pl.Int32, pl.String, pl.String), strict=True
        )
    },
    "code": pl.String,  # how activations became codes (Experiment.code_definition)
    "alpha": pl.Float64,
    "beta": pl.Float64,
    "se": pl.Float64,
    "xmin": pl.Int64,
    "xmax": pl.Int64,  # the law's upper end (analysis.xmax); null: none
    "n_tail": pl.Int64,
    "ks_d": pl.Float64,
    "p_value": pl.Float64,
    "tail_codes": pl.Float64,  # share of the codes in the tail
    "tail_samples": pl.Float64,  # share of the samples (inputs) those codes hold
    "decades": pl.Float64,  # log10(largest k in the tail / x_min)
    "beta_whole": pl.Float64,  # fitted from x_min = 1
    "p_whole": pl.Float64,
    **{f"{kind}_{name}": pl.Float64 for name in ALTERNATIVES for kind in ("llr", "p")},
    "cutoff_alpha": pl.Float64,  # the cutoff law k^-alpha e^(-lambda k) fitted to the tail
    "cutoff_lambda": pl.Float64,
    "ols_slope": pl.Float64,
    "status": pl.String,
    "verdict": pl.String,
}


def fits_table(degeneracy_frame, settings, code="", threads=1):
    """One row per group of a degeneracy frame under FitSettings `settings`; `code` says how
    the codes were made."""
    rows = []
    for key, group in degeneracy_frame.group_by(GROUP, maintain_order=True):
        rows.append(fit_group(key, group.sort("k"), settings, code, threads))
        log.info("%s: %s", "/".join(map(str, key)), rows[-1].get("verdict", rows[-1]["status"]))
    return pl.DataFrame(rows, schema=SCHEMA)


def write_fits(degeneracy_path, settings, code, threads, path):
    """The fits table of one experiment from its degeneracy table."""
    write_table(fits_table(read_degeneracy(degeneracy_path), settings, code, threads), path)


SUMMARY_COLUMNS = [
    *GROUP,
    "code",
    "beta",
    "se",
    "xmin",
    "n_tail",
    "p_value",
    "tail_codes",
    "tail_samples",
    "decades",
    "beta_whole",
    "p_whole",
    "ols_slope",
    "verdict",
    "status",
]


def write_summary(paths, out_path):
    """The fits tables of several experiments as one tab-separated table (for the report)."""
    table = pl.concat([read_frame(path, SUMMARY_COLUMNS) for path in paths])
    write_tsv(table.select(SUMMARY_COLUMNS), out_path)
