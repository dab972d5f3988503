"""The evidence ladder: how strongly one sample of cluster sizes supports scale invariance,
after Broido & Clauset (2019, Nat. Commun. 10:1017, "Scale-free networks are rare",
Table 1), adapted to codes. A sample (one seed's layer) gets the highest rung whose
conditions hold; from `weakest` up each rung adds to the one below, and `strong` also takes
`super-weak`'s condition (as Broido & Clauset's does):

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
  most HILL_DRIFT: a lognormal's steepens into the tail; `tail_index.hill_drift`).

`strongest` is a layer's, not a sample's: at least STRONGEST_SHARE of its seeds `strong`
(Broido & Clauset's "strong in >= 90 % of the data versions"). The occupancy-aware
whole-range law (does the whole m(k) look like the occupancy counts of a scale-free code
from k = 1 on?) is a test of a mechanism, reported beside the ladder, not a rung of it.

"Alternatives" (RIVALS) are Broido & Clauset's: the lognormal (rounded to the integers, as
CSN's code and the `powerlaw` package discretise it), the exponential, the stretched
exponential and the power law with exponential cutoff. Simulated scale-free occupancy codes
at M = 60,000 do not favour the cutoff (0 of 40 draws, b = 0.5-1.5), so a fitted cutoff is
evidence against scale invariance, not an artefact of finite M. A rival "fits significantly
better" only when Vuong's p < 0.1 (chi2(1) for the nested cutoff law) and its advantage is
at least RIVAL_FLOOR nats per tail code: at 60,000 codes Vuong's test calls 0.004 nats per
code significant. The floor is calibrated on known answers
(`benchmarks/calibrate_rivals.py`, `tests/test_ladder_known_answers.py`): with it no rival
wins on exact power laws or on occupancy codes with b = 0.5-1.5 (0 of 40 draws each; 12 %
at b = 1.2 with a floor of 0.005), and a rival wins on 23-25 % of lognormal samples of
20,000 (57-62 % without a floor; CSN's x_min leaves lognormals short, straight tails).

Across seeds a layer's class is `strongest` as above, else the highest rung most seeds
reach (the median rung, which places a layer beside its nulls). `super-weak` (no rival
better) and `weakest` (the CSN test passes) are not nested, so the claims report them as
two counts over seeds beside the class. The CSN pass count is judged against
Binomial(n, 0.9), the count an exact power law gives.

A fact that is missing (None) or not a number (NaN) never lifts a sample up the ladder.
"""

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Self, overload

from scaleinv.stats.powerlaw_fit import SIGNIFICANCE

if TYPE_CHECKING:  # typing_extensions comes with mypy; Python has TypeIs from 3.13
    from typing_extensions import TypeIs

LADDER = ("unresolved", "collapsed", "none", "super-weak", "weakest", "weak", "strong", "strongest")
UNRESOLVED = 0.9  # distinct codes / M at or above which sizes are nearly all 1
COLLAPSED = 0.25  # H(Z) / ln M below which the code has collapsed ...
FEW_CODES = 0.4  # ... if it also has fewer than M^0.4 codes (81 at M = 60,000)
MIN_TAIL = 50  # Broido & Clauset's "weak": at least 50 points in the power-law region
MIN_DECADES = 1.5  # a tail over less than 1.5 decades of k says little about scale
TAIL_INDEX_AGREEMENT = 0.2  # relative distance of the estimators' median beta from the MLE's
HILL_DRIFT = 0.15  # a power law's Hill drift stays below it in >= 90 % of samples (tests)
RIVALS = ("lognormal", "exponential", "stretched_exponential", "cutoff")
RIVAL_FLOOR = 0.0075  # nats per tail code a rival must gain to count (calibrated: docstring)
TAIL_INDEX_COLUMNS = ("beta_hill", "beta_moments", "beta_kernel")
PASS_PROBABILITY = 1 - SIGNIFICANCE  # a seed of an exact power law passes the CSN test
STRONGEST_SHARE = 0.9  # of a layer's seeds strong for `strongest` (Broido & Clauset)


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
    rivals: tuple[
        tuple[float | None, float | None], ...
    ] = ()  # (log-likelihood ratio R, p) of each of RIVALS that was compared
    tail_indices: tuple[
        float | None, ...
    ] = ()  # beta of each tail-index estimator that found a tail
    hill_drift: float | None = None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Self:
        """From a fits row (a mapping of column names); absent columns are missing facts."""
        plain: dict[str, Any] = {
            f.name: row.get(f.name) for f in fields(cls) if f.name not in _GATHERED
        }
        rivals = tuple(
            (row[f"llr_{name}"], row[f"p_{name}"]) for name in RIVALS if f"llr_{name}" in row
        )
        indices = tuple(row[name] for name in TAIL_INDEX_COLUMNS if name in row)
        return cls(**plain, rivals=rivals, tail_indices=indices)


_GATHERED = ("rivals", "tail_indices")


def _known(value: float | None) -> "TypeIs[float]":  # NaN is unknown too
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _at_least(value: float | None, bound: float) -> bool:
    return _known(value) and value >= bound


@overload
def rival_better(ratio: float, p: float, n_tail: float) -> bool: ...
@overload
def rival_better(ratio: Any, p: Any, n_tail: Any) -> Any: ...  # Polars columns
def rival_better(ratio: Any, p: Any, n_tail: Any) -> Any:
    """Whether an alternative fits significantly better than the power law, from its
    log-likelihood ratio R over a tail of n_tail codes (negative: the alternative is
    likelier) and that test's p: p < 0.1 and -R / n_tail > RIVAL_FLOOR. Works on numbers
    and on Polars columns alike."""
    return (ratio < -RIVAL_FLOOR * n_tail) & (p < SIGNIFICANCE)


def tail_index_agrees(facts: LadderFacts) -> bool:
    """Whether the median of the tail-index estimators is within TAIL_INDEX_AGREEMENT of beta
    (False where none found a tail)."""
    found = sorted(value for value in facts.tail_indices if _known(value))
    if not found or not _known(facts.beta):
        return False
    half = len(found) // 2
    median = found[half] if len(found) % 2 else (found[half - 1] + found[half]) / 2
    return abs(median - facts.beta) <= TAIL_INDEX_AGREEMENT * facts.beta


def any_rival_better(facts: LadderFacts) -> bool:
    """Whether some rival fits significantly better than the power law (`rival_better`);
    a rival with a missing R or p never does."""
    return _known(facts.n_tail) and any(
        _known(ratio) and _known(p) and rival_better(ratio, p, facts.n_tail)
        for ratio, p in facts.rivals
    )


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
    better = any_rival_better(facts)
    passes = fitted and _at_least(facts.p_value, SIGNIFICANCE)
    weak = passes and _at_least(facts.n_tail, MIN_TAIL) and _at_least(facts.decades, MIN_DECADES)
    level = _known(facts.hill_drift) and facts.hill_drift <= HILL_DRIFT
    if weak and not better and tail_index_agrees(facts) and level:
        return "strong"
    if weak:
        return "weak"
    if passes:
        return "weakest"
    return "super-weak" if fitted and not better else "none"


def rung(name: str) -> int:
    """The position of a class on the ladder (higher is stronger evidence)."""
    return LADDER.index(name)


def consensus(classes: Sequence[str]) -> str:
    """A layer's class from its seeds' `classes`: `strongest` when at least STRONGEST_SHARE
    of them are `strong`, else the highest rung that most reach: the median rung, taken from
    below when the count is even, so a tie never rounds up."""
    if sum(name == "strong" for name in classes) >= STRONGEST_SHARE * len(classes):
        return "strongest"
    ranked = sorted(map(rung, classes))
    return LADDER[ranked[(len(ranked) - 1) // 2]]


def holding(classes: Iterable[str], name: str) -> int:
    """How many of `classes` (one per seed) reach rung `name`: `strongest`, a layer's, is
    held by its `strong` seeds."""
    floor = rung("strong") if name == "strongest" else rung(name)
    return sum(rung(c) >= floor for c in classes)


def most(classes: Sequence[str], test: Callable[[str], bool]) -> bool:
    """Whether more than half of `classes` (one per seed) pass `test`: a strict majority,
    for claims that want a layer at most some rung (a tie is no majority either way)."""
    return 2 * sum(map(test, classes)) > len(classes)


def pass_count_p(passes: int, seeds: int) -> float:
    """P(X <= passes) for X ~ Binomial(seeds, 0.9): how surprising so few CSN passes would be
    for an exact power law (each seed passes with probability 0.9)."""
    from scipy import stats  # here: scipy.stats costs 0.2 s of `import scaleinv.powerlaw`

    return float(stats.binom.cdf(passes, seeds, PASS_PROBABILITY))
