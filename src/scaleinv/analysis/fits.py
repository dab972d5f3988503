"""The fits table: for every (experiment, seed, epoch, layer, split) the CSN power-law fit of
its cluster sizes, the bootstrap p-value, the tests against alternatives, how much of the
data the tail holds, the whole-range fit (x_min = 1: the straight line the paper reads off
its plots), effect sizes beside the p-values (`d_ratio`, curvature, per-code likelihood
ratio, cutoff scale), tail-index estimators that assume no exact power law, beta refitted
at the layer's common x_min across seeds, the paper's log-log slope, the evidence class
(`scaleinv.analysis.evidence`) and a plain-words verdict. Degenerate inputs get a status,
not an error."""

import logging
from dataclasses import dataclass, fields, replace

import numpy as np
import polars as pl

from scaleinv.analysis import occupancy
from scaleinv.analysis.alternatives import ALTERNATIVES, compare, fit_cutoff
from scaleinv.analysis.degeneracy import read_degeneracy, sizes_of
from scaleinv.analysis.effect_sizes import curvature
from scaleinv.analysis.evidence import RIVALS, with_evidence
from scaleinv.analysis.information import resolution_relevance
from scaleinv.analysis.powerlaw_fit import SIGNIFICANCE, bootstrap_test, fit
from scaleinv.analysis.tail_index import estimate_all, hill_drift
from scaleinv.tables import GROUP, group_seed, read_frame, write_table, write_tsv

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FitSettings:
    """The `analysis` settings of config.yaml (described in
    workflow/schemas/config.schema.yaml; the fields' defaults are the schema's, a test holds
    them equal), so that a caller names only what it changes."""

    bootstrap: int = 500  # replicates of the bootstrap p-value
    min_distinct: int = 5  # fewer distinct sizes: a degenerate row
    min_tail: int = 10  # fewest sizes at or above a candidate x_min
    occupancy_bootstrap: int = 100  # replicates of the occupancy law's bootstrap p-value
    estimator_bootstrap: int = 100  # replicates of the curvature's interval and of each index
    seed: int = 0  # of the bootstrap streams
    xmin: int | None = None  # None: chosen by the KS distance (config: auto)
    xmax: int | None = None  # None: no upper end
    sequential: bool = True  # stop each bootstrap once its decision is settled
    resampling_risk: float = 1e-3  # of the sequential test (scaleinv.analysis.sequential)

    @classmethod
    def from_config(cls, analysis):
        """From the validated `analysis` block (schema defaults filled; a block without the
        later keys, e.g. from an older config, gets the fields' defaults)."""
        values = {
            field.name: analysis[field.name] for field in fields(cls) if field.name in analysis
        }
        return cls(**{**values, "xmin": None if values["xmin"] == "auto" else values["xmin"]})

    @property
    def risk(self):
        """The bootstraps' resampling risk: None for the fixed test."""
        return self.resampling_risk if self.sequential else None


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
    """(bootstrap p-value as a sequential.MonteCarloP, d_ratio) of fit `result`, whose
    replicates refit x_min unless the settings fix it. d_ratio, the observed KS distance over
    the replicates' median, is the distance as an effect size: about 1 for a power law
    whatever the sample size."""
    test, distances = bootstrap_test(
        sizes,
        result,
        settings.bootstrap,
        rng,
        min_tail=settings.min_tail,
        threads=threads,
        fixed_xmin=settings.xmin is not None,
        risk=settings.risk,
    )
    finite = distances[np.isfinite(distances)]
    return test, result.ks_d / np.median(finite) if len(finite) else np.nan


def whole_range(sizes, settings, rng, threads):
    """beta and bootstrap p of the power law fitted from x_min = 1 (None: no fit)."""
    settings = replace(settings, xmin=1)
    result = fit(sizes, settings.min_tail, settings.xmin, settings.xmax)
    if result is None:
        return {}
    return {
        "beta_whole": result.alpha - 1,
        "p_whole": p_value_of(sizes, result, settings, rng, threads)[0].p,
    }


def effect_sizes(tail, result, tests, cutoff, rng, replicates):
    """How far the tail is from a power law, in units that do not grow with the sample:
    its curvature on log-log axes with a bootstrap interval, the strongest rival's
    log-likelihood ratio per code (R / n_tail, < 0: the rival is likelier), and the scale
    1/lambda of the cutoff law's exponential."""
    bend = curvature(tail, result.xmin, rng, replicates)
    return {
        "curvature": bend.value,
        "curvature_low": bend.low,
        "curvature_high": bend.high,
        "llr_per_code": np.nanmin([tests[name][0] for name in RIVALS]) / result.n_tail,
        "cutoff_scale": 1 / cutoff[1] if cutoff[1] > 0 else np.inf,
    }


def occupancy_law(sizes):
    """The occupancy-aware whole-range law (`scaleinv.analysis.occupancy`) fitted from k = 1,
    and its likelihood ratio against the exact power law from k = 1 (R > 0 favours the
    power law). Its bootstrap p-value comes later, only where it can change the class."""
    law = occupancy.fit(sizes)
    ratio = occupancy.compare_power_law(sizes, law)
    return {
        "beta_occupancy": law.beta,
        "se_occupancy": law.se,
        "lambda_min": law.lambda_min,
        "llr_occupancy": ratio.ratio,
        "p_llr_occupancy": ratio.p_value,
    }


def tail_indices(sizes, rng, replicates):
    """beta by the Hill, moments and kernel estimators (null where one finds no tail), and
    the drift of Hill's estimate over a decade of order statistics (null below 1,000 codes)."""
    betas = {
        f"beta_{method}": None if estimate is None else estimate.beta
        for method, estimate in estimate_all(sizes, rng, replicates=replicates).items()
    }
    drift = hill_drift(sizes, rng)
    return {**betas, "hill_drift": None if np.isnan(drift) else drift}


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
    test, d_ratio = p_value_of(sizes, result, settings, rng, threads)
    tail = sizes[(sizes >= result.xmin) & (sizes <= (result.xmax or sizes.max()))]
    cutoff = fit_cutoff(tail, result.alpha, result.xmin, result.xmax)
    tests = compare(tail, result.alpha, result.xmin, result.xmax, cutoff)
    row.update(tail_extent(sizes, tail, result.xmin), **whole_range(sizes, settings, rng, threads))
    replicates = settings.estimator_bootstrap
    row.update(effect_sizes(tail, result, tests, cutoff, rng, replicates))
    row.update(tail_indices(sizes, rng, replicates))
    row.update(occupancy_law(sizes))
    row["d_ratio"] = d_ratio
    row.update(
        alpha=result.alpha,
        beta=result.alpha - 1,  # Eq. (7): m(k) ~ k^(-beta-1)
        se=result.se,
        xmin=result.xmin,
        xmax=result.xmax,
        n_tail=result.n_tail,
        ks_d=result.ks_d,
        p_value=test.p,
        p_low=test.low,
        p_high=test.high,
        replicates_used=test.replicates,
        cutoff_alpha=cutoff[0],
        cutoff_lambda=cutoff[1],
        status="ok",
        verdict=verdict(test.p, tests),
    )
    for name, (ratio, p) in tests.items():
        row[f"llr_{name}"], row[f"p_{name}"] = ratio, p
    return row


ROW_SCHEMA = {  # what fit_group gives
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
    "p_low": pl.Float64,  # its 95 % Monte Carlo interval (scaleinv.analysis.sequential)
    "p_high": pl.Float64,
    "replicates_used": pl.Int64,  # bootstrap replicates drawn before the decision settled
    "tail_codes": pl.Float64,  # share of the codes in the tail
    "tail_samples": pl.Float64,  # share of the samples (inputs) those codes hold
    "decades": pl.Float64,  # log10(largest k in the tail / x_min)
    "beta_whole": pl.Float64,  # fitted from x_min = 1
    "p_whole": pl.Float64,
    **{f"{kind}_{name}": pl.Float64 for name in ALTERNATIVES for kind in ("llr", "p")},
    "cutoff_alpha": pl.Float64,  # the cutoff law k^-alpha e^(-lambda k) fitted to the tail
    "cutoff_lambda": pl.Float64,
    "cutoff_scale": pl.Float64,  # 1 / cutoff_lambda: where the cutoff bites (inf: none)
    "d_ratio": pl.Float64,  # ks_d / the bootstrap replicates' median KS distance
    "curvature": pl.Float64,  # of log10 m(k) in log10 k over the tail (0: straight)
    "curvature_low": pl.Float64,  # its 95 % bootstrap interval
    "curvature_high": pl.Float64,
    "llr_per_code": pl.Float64,  # the strongest rival's R / n_tail (< 0: rival likelier)
    "beta_hill": pl.Float64,  # tail-index estimators (scaleinv.analysis.tail_index)
    "beta_moments": pl.Float64,
    "beta_kernel": pl.Float64,
    "hill_drift": pl.Float64,  # Hill's beta at kappa = n/100 over kappa = n/10, minus 1
    "beta_occupancy": pl.Float64,  # the occupancy law from k = 1 (scaleinv.analysis.occupancy)
    "se_occupancy": pl.Float64,
    "lambda_min": pl.Float64,  # its rate of the rarest code (0: the Sibuya law)
    "llr_occupancy": pl.Float64,  # exact power law from k = 1 vs it (< 0: the law likelier)
    "p_llr_occupancy": pl.Float64,
    "ols_slope": pl.Float64,
    "status": pl.String,
    "verdict": pl.String,
}
SCHEMA = {  # the table written: the rows, then what is computed over them
    **ROW_SCHEMA,
    "xmin_common": pl.Int64,  # the median x_min of the layer's seeds
    "beta_common": pl.Float64,  # beta refitted there
    "M": pl.Int64,  # samples, distinct codes and resolution (scaleinv.analysis.information)
    "distinct": pl.Int64,
    "H_Z": pl.Float64,
    "p_occupancy": pl.Float64,  # the occupancy law's bootstrap p (null: not needed, below)
    "evidence": pl.String,  # the ladder's class (scaleinv.analysis.evidence)
}


COMMON = ["experiment", "epoch", "layer", "split"]  # a layer across seeds


def with_common_xmin(table, sizes, settings):
    """`table` with each layer's common x_min (the median of its seeds' x_min) and every
    seed's beta refitted there (`beta_common`), so that the seeds' betas describe one range
    of k and can be pooled; `sizes`: {group key: cluster sizes}."""
    medians = (
        table.filter(pl.col("status") == "ok")
        .group_by(COMMON, maintain_order=True)
        .agg(pl.col("xmin").median().floor().cast(pl.Int64).alias("xmin_common"))
    )
    table = table.join(medians, on=COMMON, how="left", maintain_order="left")
    betas = []
    for *key, xmin in table.select(*GROUP, "xmin_common").iter_rows():
        refit = (
            None if xmin is None else fit(sizes[tuple(key)], settings.min_tail, xmin, settings.xmax)
        )
        betas.append(None if refit is None else refit.alpha - 1)
    return table.with_columns(pl.Series("beta_common", betas, pl.Float64))


def fits_table(degeneracy_frame, settings, code="", threads=1):
    """One row per group of a degeneracy frame under FitSettings `settings`; `code` says how
    the codes were made."""
    groups = [
        (key, group.sort("k"))
        for key, group in degeneracy_frame.group_by(GROUP, maintain_order=True)
    ]
    sizes = {key: sizes_of(group) for key, group in groups}
    rows = []
    for done, (key, group) in enumerate(groups, 1):
        rows.append(fit_group(key, group, settings, code, threads))
        outcome = rows[-1].get("verdict", rows[-1]["status"])
        log.info("%s (%d of %d groups): %s", "/".join(map(str, key)), done, len(groups), outcome)
    table = with_common_xmin(pl.DataFrame(rows, schema=ROW_SCHEMA), sizes, settings)
    information = resolution_relevance(degeneracy_frame).select(*GROUP, "M", "distinct", "H_Z")
    table = table.join(information, on=GROUP, how="left", maintain_order="left")
    table = with_evidence(with_occupancy_p(with_evidence(table), sizes, settings, threads))
    return table.select(list(SCHEMA))


def with_occupancy_p(table, sizes, settings, threads, keys=GROUP):
    """`table` with the occupancy law's bootstrap p-value where it decides the class:
    `strongest` needs it, so rows already `strong` get it; elsewhere it cannot change the
    class and is left out (null), which saves most of its cost (50-200 ms a replicate).
    `sizes` is keyed by the values of the columns `keys` (a subsample adds M, replicate)."""
    p_values = []
    for row in table.iter_rows(named=True):
        key = tuple(row[name] for name in keys)
        if row["evidence"] != "strong":
            p_values.append(None)
            continue
        law = occupancy.fit(sizes[key])
        rng = group_seed(settings.seed, (*key, "occupancy"))  # apart from the CSN bootstrap's
        p_values.append(
            occupancy.bootstrap_p_value(
                sizes[key], law, settings.occupancy_bootstrap, rng, threads, settings.risk
            )
        )
    return table.drop("evidence").with_columns(pl.Series("p_occupancy", p_values, pl.Float64))


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
    "d_ratio",
    "curvature",
    "verdict",
    "evidence",
    "status",
]


def write_summary(paths, out_path):
    """The fits tables of several experiments as one tab-separated table (for the report)."""
    table = pl.concat([read_frame(path, SUMMARY_COLUMNS) for path in paths])
    write_tsv(table.select(SUMMARY_COLUMNS), out_path)
