"""The evidence ladder: how strongly one layer's cluster sizes support scale invariance,
after Broido & Clauset (2019, Nat. Commun. 10:1017, "Scale-free networks are rare",
Table 1), adapted to codes. Each fitted group (experiment, seed, epoch, layer, split)
gets the highest rung whose conditions hold; from `weakest` up each rung adds to the one
below, and `strong` also takes `super-weak`'s condition (as Broido & Clauset's does):

- `unresolved`: nearly every code unique (distinct codes >= UNRESOLVED * M): no sizes
  to count, so nothing can be tested;
- `collapsed`: few codes holding nearly everything: resolution H(Z) / ln M < COLLAPSED
  (fewer than M^COLLAPSED effective codes, e^H(Z)) and fewer than M^FEW_CODES distinct
  codes. Both, since an exact power law with beta < 1 also has a low resolution (one
  cluster holds most inputs: Zipf samples with alpha = 1.5 have H(Z) / ln M ~ 0.06) but
  thousands of codes;
- `none`: no fit (too few distinct sizes), or the power law is rejected and an alternative
  fits significantly better;
- `super-weak`: no alternative fits significantly better (the power law may be rejected);
- `weakest`: the CSN test passes (p >= 0.1);
- `weak`: weakest, with n_tail >= MIN_TAIL codes over >= MIN_DECADES decades of k;
- `strong`: weak, no alternative significantly better, the tail-index estimators that
  assume no exact power law (Hill, moments, kernel: their median) within TAIL_INDEX_AGREEMENT
  of the MLE beta, and Hill's estimate level over a decade of order statistics (drift at
  most HILL_DRIFT: a lognormal's steepens into the tail; `tail_index.hill_drift`);
- `strongest`: strong, and the occupancy-aware whole-range law passes (p >= 0.1): the
  sizes look like the occupancy counts of a scale-free code from k = 1 on. An exact power
  law from k = 1 is not such a code (that law rejects it), so it tops out at `strong`.

"Alternatives" are the lognormal, exponential and stretched exponential: the cutoff law is
not one, since a finite sample of M inputs forces a cutoff near k ~ M on any code, scale-free
or not (the cutoff's scale is reported as an effect size instead).

Across seeds a layer's class is the highest rung most seeds reach (the median rung), and
its CSN pass count is judged against Binomial(n, 0.9), the count an exact power law gives.
"""

import polars as pl
from scipy import stats

from scaleinv.analysis.powerlaw_fit import SIGNIFICANCE

LADDER = ("unresolved", "collapsed", "none", "super-weak", "weakest", "weak", "strong", "strongest")
UNRESOLVED = 0.9  # distinct codes / M at or above which sizes are nearly all 1
COLLAPSED = 0.25  # H(Z) / ln M below which the code has collapsed ...
FEW_CODES = 0.4  # ... if it also has fewer than M^0.4 codes (81 at M = 60,000)
MIN_TAIL = 50  # Broido & Clauset's "weak": at least 50 points in the power-law region
MIN_DECADES = 1.5  # a tail over less than 1.5 decades of k says little about scale
TAIL_INDEX_AGREEMENT = 0.2  # relative distance of the estimators' median beta from the MLE's
HILL_DRIFT = 0.15  # a power law's Hill drift stays below it in >= 90 % of samples (tests)
RIVALS = ("lognormal", "exponential", "stretched_exponential")
TAIL_INDEX_COLUMNS = ("beta_hill", "beta_moments", "beta_kernel")
PASS_PROBABILITY = 1 - SIGNIFICANCE  # a seed of an exact power law passes the CSN test


def rival_better():
    """Whether any rival fits significantly better than the power law (R < 0, p < 0.1)."""
    return pl.any_horizontal(
        (pl.col(f"llr_{name}") < 0) & (pl.col(f"p_{name}") < SIGNIFICANCE) for name in RIVALS
    ).fill_null(False)


def tail_index_agrees(frame):
    """Whether the median of the tail-index estimators is within TAIL_INDEX_AGREEMENT of beta
    (False where none was computed)."""
    present = [name for name in TAIL_INDEX_COLUMNS if name in frame.columns]
    if not present:
        return pl.lit(False)
    median = pl.concat_list(present).list.eval(pl.element().fill_nan(None)).list.drop_nulls()
    median = median.list.median()
    return ((median - pl.col("beta")).abs() <= TAIL_INDEX_AGREEMENT * pl.col("beta")).fill_null(
        False
    )


def with_evidence(frame):
    """`frame` (fits rows with M, distinct and H_Z) with the column `evidence`."""
    fitted = pl.col("status") == "ok"
    passes = fitted & (pl.col("p_value") >= SIGNIFICANCE)
    better = rival_better()
    weak = passes & (pl.col("n_tail") >= MIN_TAIL) & (pl.col("decades") >= MIN_DECADES)
    level = (pl.col("hill_drift") <= HILL_DRIFT) if "hill_drift" in frame.columns else pl.lit(False)
    strong = weak & ~better & tail_index_agrees(frame) & level.fill_null(False)
    occupancy = (
        pl.col("p_occupancy") >= SIGNIFICANCE if "p_occupancy" in frame.columns else pl.lit(False)
    )
    log_m = pl.col("M").cast(pl.Float64).log()
    collapsed = (pl.col("H_Z") / log_m < COLLAPSED) & (
        pl.col("distinct").cast(pl.Float64).log() / log_m < FEW_CODES
    )
    ladder = (
        pl.when(pl.col("distinct") >= UNRESOLVED * pl.col("M"))
        .then(pl.lit("unresolved"))
        .when(collapsed)
        .then(pl.lit("collapsed"))
        .when(strong & occupancy.fill_null(False))
        .then(pl.lit("strongest"))
        .when(strong)
        .then(pl.lit("strong"))
        .when(weak)
        .then(pl.lit("weak"))
        .when(passes)
        .then(pl.lit("weakest"))
        .when(fitted & ~better)
        .then(pl.lit("super-weak"))
        .otherwise(pl.lit("none"))
    )
    return frame.with_columns(ladder.alias("evidence"))


def rung(name):
    """The position of a class on the ladder (higher is stronger evidence)."""
    return LADDER.index(name)


def consensus(classes):
    """The highest rung that most of `classes` (one per seed) reach: the median rung, taken
    from below when the count is even, so a tie never rounds up."""
    ranked = sorted(map(rung, classes))
    return LADDER[ranked[(len(ranked) - 1) // 2]]


def most(classes, test):
    """Whether more than half of `classes` (one per seed) pass `test`: a strict majority,
    for claims that want a layer at most some rung (a tie is no majority either way)."""
    return 2 * sum(map(test, classes)) > len(classes)


def pass_count_p(passes, seeds):
    """P(X <= passes) for X ~ Binomial(seeds, 0.9): how surprising so few CSN passes would be
    for an exact power law (each seed passes with probability 0.9)."""
    return float(stats.binom.cdf(passes, seeds, PASS_PROBABILITY))
