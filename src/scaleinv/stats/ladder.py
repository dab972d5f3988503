"""The evidence ladder: how strongly one sample of cluster sizes supports scale invariance,
after Broido & Clauset (2019, Nat. Commun. 10:1017, "Scale-free networks are rare",
Table 1), adapted to codes. A sample gets the highest rung whose conditions hold; from
`weakest` up each rung adds to the one below, and `strong` also takes `super-weak`'s
condition (as Broido & Clauset's does):

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

A fact that is missing (None) or not a number (NaN) never lifts a sample up the ladder.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields

from scipy import stats

from scaleinv.stats.powerlaw_fit import SIGNIFICANCE

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


@dataclass(frozen=True)
class LadderFacts:
    """What the ladder reads of one sample; every field but M and distinct may be missing
    (None), e.g. where no power law could be fitted (status other than "ok")."""

    M: int  # inputs
    distinct: int  # distinct codes
    H_Z: float | None  # resolution, nats
    status: str  # "ok" where a power law was fitted
    p_value: float | None = None  # CSN's bootstrap p
    n_tail: int | None = None
    decades: float | None = None
    beta: float | None = None
    rivals: tuple = ()  # (log-likelihood ratio R, p) of each of RIVALS that was compared
    tail_indices: tuple = ()  # beta of each tail-index estimator that found a tail
    hill_drift: float | None = None
    p_occupancy: float | None = None  # the occupancy law's bootstrap p, where computed

    @classmethod
    def of(cls, row: Mapping):
        """From a fits row (a mapping of column names); absent columns are missing facts."""
        plain = {f.name: row.get(f.name) for f in fields(cls) if f.name not in _GATHERED}
        rivals = tuple(
            (row[f"llr_{name}"], row[f"p_{name}"]) for name in RIVALS if f"llr_{name}" in row
        )
        indices = tuple(row[name] for name in TAIL_INDEX_COLUMNS if name in row)
        return cls(**plain, rivals=rivals, tail_indices=indices)


_GATHERED = ("rivals", "tail_indices")


def _known(value):
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _at_least(value, bound):
    return _known(value) and value >= bound


def rival_better(ratio, p):
    """Whether an alternative fits significantly better than the power law, from its
    log-likelihood ratio R (negative: the alternative is likelier) and that test's p; works
    on numbers and on Polars columns alike."""
    return (ratio < 0) & (p < SIGNIFICANCE)


def tail_index_agrees(facts):
    """Whether the median of the tail-index estimators is within TAIL_INDEX_AGREEMENT of beta
    (False where none found a tail)."""
    found = sorted(value for value in facts.tail_indices if _known(value))
    if not found or not _known(facts.beta):
        return False
    half = len(found) // 2
    median = found[half] if len(found) % 2 else (found[half - 1] + found[half]) / 2
    return abs(median - facts.beta) <= TAIL_INDEX_AGREEMENT * facts.beta


def classify(facts: LadderFacts) -> str:
    """The highest rung of LADDER whose conditions `facts` meet (module docstring)."""
    if facts.distinct >= UNRESOLVED * facts.M:
        return "unresolved"
    log_m = math.log(facts.M)
    if (
        _known(facts.H_Z)
        and facts.H_Z / log_m < COLLAPSED
        and math.log(facts.distinct) / log_m < FEW_CODES
    ):
        return "collapsed"
    fitted = facts.status == "ok"
    better = any(
        _known(ratio) and _known(p) and rival_better(ratio, p) for ratio, p in facts.rivals
    )
    passes = fitted and _at_least(facts.p_value, SIGNIFICANCE)
    weak = passes and _at_least(facts.n_tail, MIN_TAIL) and _at_least(facts.decades, MIN_DECADES)
    level = _known(facts.hill_drift) and facts.hill_drift <= HILL_DRIFT
    strong = weak and not better and tail_index_agrees(facts) and level
    if strong:
        return "strongest" if _at_least(facts.p_occupancy, SIGNIFICANCE) else "strong"
    if weak:
        return "weak"
    if passes:
        return "weakest"
    return "super-weak" if fitted and not better else "none"


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
