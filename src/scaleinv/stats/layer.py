"""One layer's statistics from its cluster sizes alone: the CSN power-law fit, its
sequential bootstrap p-value, the tests against alternatives, how much of the data the
tail holds, the whole-range fit (x_min = 1: the straight line the paper reads off its
plots), effect sizes beside the p-values (`d_ratio`, curvature, per-code likelihood ratio,
cutoff scale), tail-index estimators that assume no exact power law, the occupancy law from
k = 1 and the paper's log-log slope. Degenerate samples get a status, not an error.

`fit_layer` is what a fits-table row holds (`scaleinv.analysis.fits` adds the table's key)
and what `scaleinv.powerlaw.Fit.report` prints; `evidence` puts it on the ladder.
"""

import zlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from scaleinv.stats import occupancy
from scaleinv.stats.alternatives import Comparison, compare, fit_cutoff
from scaleinv.stats.effect_sizes import curvature
from scaleinv.stats.ladder import RIVALS, LadderFacts, classify, rival_better
from scaleinv.stats.powerlaw_fit import SIGNIFICANCE, PowerLawFit, bootstrap_test, fit
from scaleinv.stats.sequential import MonteCarloP
from scaleinv.stats.tail_index import estimate_all, hill_drift

Ints = npt.NDArray[np.int64]


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
    resampling_risk: float = 1e-3  # of the sequential test (scaleinv.stats.sequential)

    @classmethod
    def from_config(cls, analysis: Mapping[str, Any]) -> Self:
        """From the validated `analysis` block (schema defaults filled; a block without the
        later keys, e.g. from an older config, gets the fields' defaults)."""
        values = {
            field.name: analysis[field.name] for field in fields(cls) if field.name in analysis
        }
        return cls(**{**values, "xmin": None if values["xmin"] == "auto" else values["xmin"]})

    @property
    def risk(self) -> float | None:
        """The bootstraps' resampling risk: None for the fixed test."""
        return self.resampling_risk if self.sequential else None


def group_seed(seed: int, key: tuple[object, ...]) -> np.random.Generator:
    """A random stream per group (a tuple of names and numbers) that does not depend on
    which other groups exist: the fits' bootstrap, the shuffled-label baseline."""
    return np.random.default_rng([seed, zlib.crc32("/".join(map(str, key)).encode())])


@dataclass(frozen=True, kw_only=True)
class LayerFit:
    """A layer's statistics (a fits-table row without its key); None where not computed.
    Only `status` and `ols_slope` are set for a sample that could not be fitted."""

    alpha: float | None = None
    beta: float | None = None  # alpha - 1, the paper's exponent: m(k) ~ k^(-beta-1)
    se: float | None = None
    xmin: int | None = None
    xmax: int | None = None  # the law's upper end (analysis.xmax); None: none
    n_tail: int | None = None
    ks_d: float | None = None
    p_value: float | None = None
    p_low: float | None = None  # its 95 % Monte Carlo interval (scaleinv.stats.sequential)
    p_high: float | None = None
    replicates_used: int | None = None  # bootstrap replicates drawn before the decision
    tail_codes: float | None = None  # share of the codes in the tail
    tail_samples: float | None = None  # share of the samples (inputs) those codes hold
    decades: float | None = None  # log10(largest k in the tail / x_min)
    beta_whole: float | None = None  # fitted from x_min = 1
    p_whole: float | None = None
    llr_lognormal: float | None = None  # R and p of each alternative (stats.alternatives)
    p_lognormal: float | None = None
    llr_exponential: float | None = None
    p_exponential: float | None = None
    llr_cutoff: float | None = None
    p_cutoff: float | None = None
    llr_stretched_exponential: float | None = None
    p_stretched_exponential: float | None = None
    nllr_lognormal: float | None = None  # R / (sigma sqrt n), CSN's Table 6.2 statistic
    nllr_exponential: float | None = None
    nllr_cutoff: float | None = None
    nllr_stretched_exponential: float | None = None
    cutoff_alpha: float | None = None  # the cutoff law k^-alpha e^(-lambda k) fitted to the tail
    cutoff_lambda: float | None = None
    cutoff_scale: float | None = None  # 1 / cutoff_lambda: where the cutoff bites (inf: none)
    d_ratio: float | None = None  # ks_d / the bootstrap replicates' median KS distance
    curvature: float | None = None  # of log10 m(k) in log10 k over the tail (0: straight)
    curvature_low: float | None = None  # its 95 % bootstrap interval
    curvature_high: float | None = None
    llr_per_code: float | None = None  # the strongest rival's R / n_tail (< 0: rival likelier)
    beta_hill: float | None = None  # tail-index estimators (scaleinv.stats.tail_index)
    beta_moments: float | None = None
    beta_kernel: float | None = None
    hill_drift: float | None = None  # Hill's beta at kappa = n/100 over kappa = n/10, minus 1
    beta_occupancy: float | None = None  # the occupancy law from k = 1 (scaleinv.stats.occupancy)
    se_occupancy: float | None = None
    lambda_min: float | None = None  # its rate of the rarest code (0: the Sibuya law)
    llr_occupancy: float | None = None  # exact power law from k = 1 vs it (< 0: the law likelier)
    p_llr_occupancy: float | None = None
    ols_slope: float  # least-squares slope of log m(k) in log k (the paper's reading)
    status: str  # "ok", or why the sizes could not be fitted ("degenerate: ...")
    verdict: str | None = None  # plain words: rejected or plausible, which rival is better
    warning: str | None = None  # why the fit is not a power-law fit (PowerLawFit.warnings)

    def as_row(self) -> dict[str, Any]:
        """The fields as a dict (column name -> value)."""
        return asdict(self)


def ols_slope(k: npt.ArrayLike, m: npt.ArrayLike) -> float:
    """Least-squares slope of log m(k) against log k over all sizes: what the paper reads
    off its log-log plots (about -(beta + 1) for a clean power law)."""
    k, m = np.asarray(k, np.float64), np.asarray(m, np.float64)
    return float(np.polyfit(np.log(k), np.log(m), 1)[0]) if len(k) > 1 else float("nan")


def degenerate_status(k: Ints, m: Ints, min_distinct: int) -> str | None:
    """Why sizes with m[i] codes of size k[i] (k distinct) cannot be fitted, or None."""
    if len(k) == 1:
        return f"degenerate: all {m[0]} codes have the same size k = {k[0]}"
    if len(k) < min_distinct:
        return f"degenerate: {len(k)} distinct sizes (fewer than min_distinct = {min_distinct})"
    return None


def verdict(p_value: float, tests: Mapping[str, Comparison], n_tail: int) -> str:
    """Plain words: is the power law ruled out, and which alternative does better?"""
    if p_value < SIGNIFICANCE:
        words = f"power law rejected (p = {p_value:.3f} < {SIGNIFICANCE})"
    else:
        words = f"power law plausible (p = {p_value:.3f})"
    better = [name for name, test in tests.items() if rival_better(test.R, test.p, n_tail)]
    return words + (f"; {', '.join(better)} fits better" if better else "")


def tail_extent(sizes: Ints, tail: Ints, xmin: int) -> dict[str, float]:
    """How much a fit's tail (the sizes in [x_min, x_max]) holds: its share of the codes and
    of the samples, and the decades of k it spans (a 'power law' over half a decade says
    little)."""
    return {
        "tail_codes": len(tail) / len(sizes),
        "tail_samples": float(tail.sum() / sizes.sum()),
        "decades": float(np.log10(tail.max() / xmin)),
    }


def p_value_of(
    sizes: Ints,
    result: PowerLawFit,
    settings: FitSettings,
    rng: np.random.Generator,
    threads: int,
) -> tuple[MonteCarloP, float]:
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


def whole_range(
    sizes: Ints, settings: FitSettings, rng: np.random.Generator, threads: int
) -> dict[str, float]:
    """beta and bootstrap p of the power law fitted from x_min = 1 (None: no fit)."""
    settings = replace(settings, xmin=1)
    result = fit(sizes, settings.min_tail, settings.xmin, settings.xmax)
    if result is None:
        return {}
    return {
        "beta_whole": result.alpha - 1,
        "p_whole": p_value_of(sizes, result, settings, rng, threads)[0].p,
    }


def effect_sizes(
    tail: Ints,
    result: PowerLawFit,
    tests: Mapping[str, Comparison],
    cutoff: tuple[float, float],
    rng: np.random.Generator,
    replicates: int,
) -> dict[str, float]:
    """How far the tail is from a power law, in units that do not grow with the sample:
    its curvature on log-log axes with a bootstrap interval, the strongest rival's
    log-likelihood ratio per code (R / n_tail, < 0: the rival is likelier), and the scale
    1/lambda of the cutoff law's exponential."""
    bend = curvature(tail, result.xmin, rng, replicates)
    return {
        "curvature": bend.value,
        "curvature_low": bend.low,
        "curvature_high": bend.high,
        "llr_per_code": np.nanmin([tests[name].R for name in RIVALS]) / result.n_tail,
        "cutoff_scale": 1 / cutoff[1] if cutoff[1] > 0 else np.inf,
    }


def occupancy_law(sizes: Ints) -> dict[str, float]:
    """The occupancy-aware whole-range law (`scaleinv.stats.occupancy`) fitted from k = 1,
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


def tail_indices(sizes: Ints, rng: np.random.Generator, replicates: int) -> dict[str, float | None]:
    """beta by the Hill, moments and kernel estimators (null where one finds no tail), and
    the drift of Hill's estimate over a decade of order statistics (null below 1,000 codes)."""
    betas = {
        f"beta_{method}": None if estimate is None else estimate.beta
        for method, estimate in estimate_all(sizes, rng, replicates=replicates).items()
    }
    drift = hill_drift(sizes, rng)
    return {**betas, "hill_drift": None if np.isnan(drift) else drift}


def fit_layer(
    sizes: Ints, settings: FitSettings, rng: np.random.Generator, threads: int = 1
) -> LayerFit:
    """The LayerFit of cluster sizes `sizes` (int64, each >= 1) under FitSettings `settings`;
    `rng` feeds every bootstrap in a fixed order, so the same stream gives the same row."""
    k, m = np.unique(sizes, return_counts=True)
    slope = ols_slope(k, m)
    status = degenerate_status(k, m, settings.min_distinct)
    result = None if status else fit(sizes, settings.min_tail, settings.xmin, settings.xmax)
    if result is None:
        status = status or f"degenerate: no x_min leaves {settings.min_tail} points"
        return LayerFit(status=status, ols_slope=slope)
    test, d_ratio = p_value_of(sizes, result, settings, rng, threads)
    tail = sizes[(sizes >= result.xmin) & (sizes <= (result.xmax or sizes.max()))]
    cutoff = fit_cutoff(tail, result.alpha, result.xmin, result.xmax)
    tests = compare(tail, result.alpha, result.xmin, result.xmax, cutoff)
    replicates = settings.estimator_bootstrap
    return LayerFit(
        status="ok",
        ols_slope=slope,
        **tail_extent(sizes, tail, result.xmin),
        **whole_range(sizes, settings, rng, threads),
        **effect_sizes(tail, result, tests, cutoff, rng, replicates),
        **tail_indices(sizes, rng, replicates),
        **occupancy_law(sizes),
        d_ratio=d_ratio,
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
        verdict=verdict(test.p, tests, result.n_tail),
        warning="; ".join(result.warnings) or None,
        **{f"llr_{name}": test.R for name, test in tests.items()},
        **{f"p_{name}": test.p for name, test in tests.items()},
        **{f"nllr_{name}": test.normalized_R for name, test in tests.items()},
    )


def occupancy_p(
    sizes: Ints, settings: FitSettings, rng: np.random.Generator, threads: int = 1
) -> float:
    """The occupancy law's bootstrap p-value: do the sizes look like the occupancy counts
    of a scale-free code from k = 1 on? (50-200 ms a replicate; the sequential test stops
    after 16-32 where they clearly do not.)"""
    law = occupancy.fit(sizes)
    return occupancy.bootstrap_p_value(
        sizes, law, settings.occupancy_bootstrap, rng, threads, settings.risk
    )


def evidence(layer: LayerFit, M: int, distinct: int, H_Z: float) -> str:
    """The ladder's class (`scaleinv.stats.ladder`) of a LayerFit of M inputs in `distinct`
    codes at resolution H_Z."""
    return classify(LadderFacts.of({**layer.as_row(), "M": M, "distinct": distinct, "H_Z": H_Z}))
