"""Likelihood-ratio tests of a fitted discrete power law against alternatives on the same
tail x_min <= x <= x_max (CSN 2009 sec. 5). Every alternative is discrete and normalised
over the same integers as the power law, so log-likelihoods are comparable.

Cluster sizes repeat (a layer's tail of 60,000 codes may hold four distinct sizes), so the
laws are fitted and evaluated on the distinct sizes x with their counts as `weights`: the
log-likelihood is sum(weights * logpmf(x)), the same as over the repeated sizes, at the cost
of the distinct ones.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, TypeVar, overload

import numpy as np
import numpy.typing as npt
from scipy import special

from scaleinv.errors import ScaleinvError
from scaleinv.stats.powerlaw_fit import log_norm

_SUM_TERMS = 1 << 14  # terms summed explicitly before a normaliser's integral tail

Floats = npt.NDArray[np.float64]
Sizes = npt.NDArray[np.float64] | npt.NDArray[np.int64]  # sizes x, distinct or repeated
Weights = npt.ArrayLike | None  # the sizes' counts (None: each size once)
Params = dict[str, float]  # a rival's fitted parameters by name
LogSize = TypeVar("LogSize", float, Floats)  # a log size or an array of them


def power_law_logpmf(x: Sizes, alpha: float, xmin: int, xmax: int | None = None) -> Floats:
    return -alpha * np.log(x) - log_norm(alpha, xmin, xmax)


def _weights_of(x: Sizes, weights: Weights) -> Floats:
    """The counts of the sizes x as float64 (None: each size once)."""
    return np.ones(len(x)) if weights is None else np.asarray(weights, np.float64)


def _exponential_logpmf(x: Sizes, lam: float, xmin: int, xmax: int | None) -> Floats:
    """Geometric tail P(x) = (1 - q) q^(x - x_min) / (1 - q^(x_max - x_min + 1)), q = e^-lam."""
    log_mass = 0.0 if xmax is None else np.log(-np.expm1(-lam * (xmax - xmin + 1)))
    log_pmf: Floats = np.log(-np.expm1(-lam)) - lam * (x - xmin) - log_mass
    return log_pmf


def _exponential_log_sf(k: Sizes, lam: float, xmin: int, xmax: int | None) -> Floats:
    """log P(K >= k) of the geometric tail: q^(k - x_min) (1 - q^(x_max - k + 1)) over
    (1 - q^(x_max - x_min + 1))."""
    if xmax is None:
        return -lam * (np.asarray(k, np.float64) - xmin)

    def log_mass(start: Sizes | int) -> Floats | float:
        return np.log(-np.expm1(-lam * (xmax - start + 1)))

    return -lam * (np.asarray(k, np.float64) - xmin) + log_mass(k) - log_mass(xmin)


def fit_exponential(x: Sizes, xmin: int, xmax: int | None = None, weights: Weights = None) -> float:
    """lam of the geometric tail by its closed-form MLE without x_max, numerically with one."""
    from scipy import optimize  # here: 0.1-0.2 s of `import scaleinv.powerlaw`

    weights = _weights_of(x, weights)
    if xmax is None:
        return float(np.log1p(1 / (np.average(x, weights=weights) - xmin)))
    best = optimize.minimize_scalar(
        lambda log_lam: -np.dot(weights, _exponential_logpmf(x, np.exp(log_lam), xmin, xmax)),
        bounds=(-20, 5),
        method="bounded",
    )
    return float(np.exp(best.x))


def exponential_logpmf(
    x: Sizes, xmin: int, xmax: int | None = None, weights: Weights = None
) -> Floats:
    """The geometric tail fitted by maximum likelihood (`fit_exponential`), at x."""
    return _exponential_logpmf(x, fit_exponential(x, xmin, xmax, weights), xmin, xmax)


def _lognormal_logpmf(x: Sizes, mu: float, sigma: float, xmin: int, xmax: int | None) -> Floats:
    """P(x) = [S(x - 1/2) - S(x + 1/2)] / [S(x_min - 1/2) - S(x_max + 1/2)], S the continuous
    lognormal survival function: the continuous law rounded to the nearest integer, as CSN's
    code, the `powerlaw` package and poweRlaw discretise it (Alstott et al. 2014, Gillespie
    2015), and as the zeta law it is compared with sits on the integers."""

    return _lognormal_mass(x, x, mu, sigma) - _lognormal_mass(xmin, xmax, mu, sigma)


@overload
def _lognormal_mass(low: int, high: int | None, mu: float, sigma: float) -> float: ...
@overload
def _lognormal_mass(low: Sizes, high: Sizes | int | None, mu: float, sigma: float) -> Floats: ...
def _lognormal_mass(
    low: Sizes | int, high: Sizes | int | None, mu: float, sigma: float
) -> Floats | float:
    """log P(low <= X <= high) of the rounded lognormal: log(S(low - 1/2) - S(high + 1/2)),
    S the continuous survival function (high None: to infinity)."""
    upper = special.log_ndtr(-(np.log(low - 0.5) - mu) / sigma)
    if high is None:
        return upper
    lower = special.log_ndtr(-(np.log(high + 0.5) - mu) / sigma)
    with np.errstate(divide="ignore"):
        mass = upper + np.log(-np.expm1(lower - upper))
    if high is not low or np.all(np.isfinite(mass)):
        return mass
    # One integer's mass (low is high): far out (k ~ 1e15) S(k - 1/2) and S(k + 1/2) agree
    # in every float64 digit; the mass is then the density at k, to a relative 1/(24 k^2).
    logs = np.log(np.asarray(low, np.float64))
    density = -logs - np.log(sigma * np.sqrt(2 * np.pi)) - (logs - mu) ** 2 / (2 * sigma**2)
    return np.where(np.isfinite(mass), mass, density)


def fit_lognormal(
    x: Sizes, xmin: int, xmax: int | None = None, weights: Weights = None
) -> tuple[float, float]:
    """(mu, sigma) of the discrete (rounded) lognormal by maximum likelihood."""
    from scipy import optimize  # here: 0.1-0.2 s of `import scaleinv.powerlaw`

    logs, weights = np.log(x), _weights_of(x, weights)

    def cost(params: Floats) -> float:
        value = -np.dot(weights, _lognormal_logpmf(x, params[0], np.exp(params[1]), xmin, xmax))
        return float(value) if np.isfinite(value) else np.inf  # a normaliser that underflowed

    mean = np.average(logs, weights=weights)
    spread = np.sqrt(np.average((logs - mean) ** 2, weights=weights))
    # On a heavy tail the likelihood climbs a long ridge toward mu -> -inf, where the
    # lognormal's local slope -1 - (log k - mu) / sigma^2 mimics a power law's -alpha; one
    # start from the moments stopped far down it (zipf(1.3): 42 nats short). So also start
    # on the ridge, mu = mean - (alpha - 1) sigma^2 for the tail's alpha, and keep the best.
    alpha = 1 + 1 / max(mean - np.log(xmin - 0.5), 1e-3)
    starts = [[mean, np.log(max(spread, 0.1))]] + [
        [mean - (alpha - 1) * sigma**2, np.log(sigma)] for sigma in (3.0, 10.0, 30.0)
    ]
    best = min(
        (optimize.minimize(cost, start, method="Nelder-Mead", options={"xatol": 1e-6})
         for start in starts),
        key=lambda result: result.fun,
    )  # fmt: skip
    return float(best.x[0]), float(np.exp(best.x[1]))


def lognormal_logpmf(
    x: Sizes, xmin: int, xmax: int | None = None, weights: Weights = None
) -> Floats:
    """The discrete lognormal fitted by maximum likelihood (`fit_lognormal`), at x."""
    return _lognormal_logpmf(x, *fit_lognormal(x, xmin, xmax, weights), xmin, xmax)


def _log_normaliser(
    log_term: Callable[[Floats], Floats],
    log_tail: Callable[[float, float], float],
    xmin: int,
    xmax: int | None,
) -> float:
    """log sum_{x_min <= k <= x_max} exp(log_term(k)): the first _SUM_TERMS terms
    explicitly, the rest as log_tail(a, b), the log of the integral over [a, b] of the
    continuous terms (the midpoint rule for the integers from a + 1/2)."""
    stop = xmin + _SUM_TERMS if xmax is None else min(xmin + _SUM_TERMS, xmax + 1)
    log_terms = log_term(np.arange(xmin, stop, dtype=np.float64))
    scale = log_terms.max()  # factored out so that nothing underflows
    head = np.sum(np.exp(log_terms - scale))
    if xmax is not None and stop > xmax:
        return float(scale + np.log(head))
    end = np.inf if xmax is None else xmax + 0.5
    with np.errstate(divide="ignore", over="ignore"):  # a tail too small to matter is 0
        tail = np.exp(log_tail(stop - 0.5, end) - scale)
    return float(scale + np.log(head + tail))


def cutoff_log_norm(alpha: float, lam: float, xmin: int, xmax: int | None = None) -> float:
    """log sum k^-alpha e^(-lam k) over [x_min, x_max]: the rest beyond the explicit terms
    exactly as Hurwitz zetas when lam = 0, else as its integral in log x (where it is smooth)."""

    def log_tail(a: float, b: float) -> float:
        if lam == 0:
            start = a + 0.5
            mass = special.zeta(alpha, start) - (0 if b == np.inf else special.zeta(alpha, b + 0.5))
            return float(np.log(mass))
        from scipy import integrate  # here: it costs 0.1 s of `import scaleinv.powerlaw`

        value, _ = integrate.quad(
            lambda t: np.exp((1 - alpha) * t - lam * np.exp(t)), np.log(a), np.log(b)
        )
        return float(np.log(value))

    return _log_normaliser(lambda k: -alpha * np.log(k) - lam * k, log_tail, xmin, xmax)


def fit_cutoff(
    x: Sizes, alpha_start: float, xmin: int, xmax: int | None = None, weights: Weights = None
) -> tuple[float, float]:
    """(alpha, lam) of the power law with exponential cutoff, P(x) ~ x^-alpha e^(-lam x), by
    maximum likelihood; it nests the power law (lam = 0), so its optimum starts there."""
    from scipy import optimize  # here: 0.1-0.2 s of `import scaleinv.powerlaw`

    weights = _weights_of(x, weights)
    log_sum, total, n = np.dot(weights, np.log(x)), np.dot(weights, x), weights.sum()

    def cost(params: Floats) -> float:
        alpha, lam = params
        return float(alpha * log_sum + lam * total + n * cutoff_log_norm(alpha, lam, xmin, xmax))

    best = optimize.minimize(
        cost,
        [alpha_start, n / total / 10],
        method="L-BFGS-B",
        bounds=[(1 + 1e-6, 30.0), (0.0, 10.0)],
    )
    return float(best.x[0]), float(best.x[1])


def cutoff_logpmf(
    x: Sizes,
    alpha_start: float,
    xmin: int,
    xmax: int | None = None,
    fitted: tuple[float, float] | None = None,
    weights: Weights = None,
) -> Floats:
    """log P(x) of the cutoff law fitted to x (`fitted`: its (alpha, lam), if known)."""
    alpha, lam = fitted or fit_cutoff(x, alpha_start, xmin, xmax, weights)
    return -alpha * np.log(x) - lam * x - cutoff_log_norm(alpha, lam, xmin, xmax)


def _stretch(beta: float, u: LogSize) -> LogSize:
    """(e^(beta u) - 1) / beta, and u at beta = 0, without cancellation for small beta."""
    return u if beta == 0 else np.expm1(beta * u) / beta


def stretched_log_norm(
    beta: float, c: float, xmin: int, xmax: int | None = None, start: int | None = None
) -> float:
    """log sum k^(beta-1) e^(-c s(k)) over [start, x_max], s(k) = _stretch(beta, log(k/x_min))
    (start None: x_min, the normaliser; later: the law's survival function times it).
    Beyond the explicit terms the integral is closed: with y = s(x), x^(beta-1) dx =
    x_min^beta dy, so the tail is x_min^beta (e^(-c s(a)) - e^(-c s(b))) / c."""

    def log_tail(a: float, b: float) -> float:
        upper = _stretch(beta, np.log(a / xmin))
        lower = np.inf if b == np.inf else _stretch(beta, np.log(b / xmin))
        return float(
            beta * np.log(xmin) - c * upper + np.log(-np.expm1(-c * (lower - upper))) - np.log(c)
        )

    def log_term(k: Floats) -> Floats:
        return (beta - 1) * np.log(k) - c * _stretch(beta, np.log(k / xmin))

    return _log_normaliser(log_term, log_tail, xmin if start is None else start, xmax)


def fit_stretched(
    x: Sizes, xmin: int, xmax: int | None = None, weights: Weights = None
) -> tuple[float, float]:
    """(beta, c) of the stretched exponential (Weibull) P(x) ~ x^(beta-1) e^(-lam x^beta)
    (CSN table 2.1) by maximum likelihood, with c = lam beta x_min^beta. The exponent is
    written -c s(x) + const, s(x) = (e^(beta log(x/x_min)) - 1) / beta, so the law is smooth
    down to beta = 0, where it is the power law x^(-1-c): as lam x^beta, the large terms
    cancel (the optimiser walks there on power-law data and the likelihood came out as
    multiples of 1/128)."""
    from scipy import optimize  # here: 0.1-0.2 s of `import scaleinv.powerlaw`

    logs, weights = np.log(x), _weights_of(x, weights)
    excess, n = logs - np.log(xmin), weights.sum()

    def cost(params: Floats) -> float:
        beta, c = params[0], np.exp(params[1])
        likelihood = np.dot(weights, (beta - 1) * logs - c * _stretch(beta, excess))
        return float(n * stretched_log_norm(beta, c, xmin, xmax) - likelihood)

    moment = np.average(np.expm1(0.5 * excess), weights=weights)
    starts = (
        [0.5, np.log(0.5 / max(moment, 1e-12))],  # the moment
        [0.0, np.log(1 / max(np.average(excess, weights=weights), 1e-12))],
    )  # power law, continuous MLE
    best = min(
        (optimize.minimize(cost, start, method="SLSQP", bounds=[(0.0, 10.0), (-30, 10)])
         for start in starts),
        key=lambda result: result.fun,
    )  # fmt: skip
    return float(best.x[0]), float(np.exp(best.x[1]))


def stretched_exponential_logpmf(
    x: Sizes,
    xmin: int,
    xmax: int | None = None,
    fitted: tuple[float, float] | None = None,
    weights: Weights = None,
) -> Floats:
    """log P(x) of the discrete stretched exponential on [x_min, x_max] fitted to x
    (`fitted`: its (beta, c) from `fit_stretched`, if known)."""
    beta, c = fitted or fit_stretched(x, xmin, xmax, weights)
    return (
        (beta - 1) * np.log(x)
        - c * _stretch(beta, np.log(x / xmin))
        - stretched_log_norm(beta, c, xmin, xmax)
    )


def vuong(log_a: Floats, log_b: Floats, weights: Weights = None) -> tuple[float, float]:
    """CSN eq. 5.1-5.4: log-likelihood ratio R (> 0 favours a) and the two-sided p-value of
    its sign under the normal approximation (`weights`: the sizes' counts). A log-ratio that
    is constant up to round-off (variance <= 1e-10 of its mean square) has p = 1: two laws
    normalised on the same support whose ratio is constant are the same law, so any constant
    is round-off, not evidence."""
    ratio, p, _ = likelihood_ratio(log_a, log_b, weights)
    return ratio, p


def likelihood_ratio(
    log_a: Floats, log_b: Floats, weights: Weights = None
) -> tuple[float, float, float]:
    """(R, p, R / (sigma sqrt n)) of `vuong`; the last is CSN's normalised ratio (their
    Table 6.2; the `powerlaw` package's normalized_ratio=True), 0 where the log-ratio is
    constant."""
    diff, weights = log_a - log_b, _weights_of(log_a, weights)
    ratio, spread = np.dot(weights, diff), log_ratio_spread(log_a, log_b, weights)
    if spread**2 <= 1e-10 * np.dot(weights, diff**2):
        return float(ratio), 1.0, 0.0
    p = float(special.erfc(abs(ratio) / (np.sqrt(2) * spread)))
    return float(ratio), p, float(ratio / spread)


def log_ratio_spread(log_a: Floats, log_b: Floats, weights: Weights = None) -> float:
    """sqrt(n) sigma, the standard deviation of R under Vuong's normal approximation (CSN
    eq. 5.3), sigma that of the per-size log-ratios (`weights`: the sizes' counts)."""
    diff, weights = log_a - log_b, _weights_of(log_a, weights)
    n = weights.sum()
    return float(np.sqrt(np.dot(weights, (diff - np.dot(weights, diff) / n) ** 2)))


class Comparison(NamedTuple):
    """One likelihood-ratio test of the power law against a rival on the same tail.

    R: the log-likelihood ratio, > 0 favours the power law. p: the significance of R's sign
    (CSN sec. 5; for the nested cutoff law, of -2R under chi2(1), CSN app. C).
    normalized_R: R / (sigma sqrt(n)), CSN's Table 6.2 statistic and the `powerlaw`
    package's `normalized_ratio=True`. params: the rival's fitted parameters, in the field's
    names (`RIVAL_LAWS[rival].params`)."""

    rival: str
    R: float
    p: float
    normalized_R: float
    params: Params


RivalFit = Callable[[Floats, Weights, int, int | None, float], Params]
RivalCurve = Callable[[Sizes, Params, int, int | None], Floats]
LogNormFrom = Callable[[Params, int, int, int | None], float]  # (params, start, xmin, xmax)


@dataclass(frozen=True)
class RivalLaw:
    """How one rival is fitted and evaluated on [x_min, x_max] (one entry per rival, so a
    new rival is one entry). fit(x, counts, xmin, xmax, alpha) -> params; logpmf(x, params,
    xmin, xmax) and log_sf(k, params, xmin, xmax) = log P(K >= k)."""

    params: tuple[str, ...]
    fit: RivalFit
    logpmf: RivalCurve
    log_sf: RivalCurve


def _sf_from_norm(log_norm_from: LogNormFrom) -> RivalCurve:
    """log P(K >= k) = log_norm_from(k) - log_norm_from(x_min), for each k."""

    def log_sf(k: Sizes, params: Params, xmin: int, xmax: int | None) -> Floats:
        values = [log_norm_from(params, int(start), xmin, xmax) for start in np.atleast_1d(k)]
        return np.array(values) - log_norm_from(params, xmin, xmin, xmax)

    return log_sf


def _stretched_params(beta: float, c: float, xmin: int) -> Params:
    """(beta, c) as the field writes the law, k^(beta-1) e^(-lambda k^beta): lambda =
    c / (beta x_min^beta) (at beta = 0 the law is the power law k^(-1-c): lambda is nan)."""
    return {"beta": beta, "lambda": c / (beta * xmin**beta) if beta > 0 else np.nan, "c": c}


RIVAL_LAWS: dict[str, RivalLaw] = {
    "lognormal": RivalLaw(
        params=("mu", "sigma"),
        fit=lambda x, w, xmin, xmax, alpha: dict(
            zip(("mu", "sigma"), fit_lognormal(x, xmin, xmax, w), strict=True)
        ),
        logpmf=lambda x, p, xmin, xmax: _lognormal_logpmf(x, p["mu"], p["sigma"], xmin, xmax),
        log_sf=lambda k, p, xmin, xmax: (
            _lognormal_mass(k, xmax, p["mu"], p["sigma"])
            - _lognormal_mass(xmin, xmax, p["mu"], p["sigma"])
        ),
    ),
    "exponential": RivalLaw(
        params=("lambda",),
        fit=lambda x, w, xmin, xmax, alpha: {"lambda": fit_exponential(x, xmin, xmax, w)},
        logpmf=lambda x, p, xmin, xmax: _exponential_logpmf(x, p["lambda"], xmin, xmax),
        log_sf=lambda k, p, xmin, xmax: _exponential_log_sf(k, p["lambda"], xmin, xmax),
    ),
    "cutoff": RivalLaw(
        params=("alpha", "lambda"),
        fit=lambda x, w, xmin, xmax, alpha: dict(
            zip(("alpha", "lambda"), fit_cutoff(x, alpha, xmin, xmax, w), strict=True)
        ),
        logpmf=lambda x, p, xmin, xmax: cutoff_logpmf(
            x, p["alpha"], xmin, xmax, (p["alpha"], p["lambda"])
        ),
        log_sf=_sf_from_norm(
            lambda p, start, xmin, xmax: cutoff_log_norm(p["alpha"], p["lambda"], start, xmax)
        ),
    ),
    "stretched_exponential": RivalLaw(
        params=("beta", "lambda"),
        fit=lambda x, w, xmin, xmax, alpha: _stretched_params(
            *fit_stretched(x, xmin, xmax, w), xmin
        ),
        logpmf=lambda x, p, xmin, xmax: stretched_exponential_logpmf(
            x, xmin, xmax, (p["beta"], p["c"])
        ),
        log_sf=_sf_from_norm(
            lambda p, start, xmin, xmax: stretched_log_norm(p["beta"], p["c"], xmin, xmax, start)
        ),
    ),
}
ALTERNATIVES = tuple(RIVAL_LAWS)  # the rivals `compare` tests, in the tables' column order


def compare(
    tail: npt.ArrayLike,
    alpha: float,
    xmin: int,
    xmax: int | None = None,
    cutoff: tuple[float, float] | None = None,
) -> dict[str, Comparison]:
    """{name: Comparison} of the power law against each alternative (R > 0 favours the power
    law), each rival fitted to the tail's distinct sizes with their counts. `cutoff`: the
    cutoff law's fitted (alpha, lam) (`fit_cutoff`), if already known."""
    tail = np.asarray(tail, np.float64)
    outside = tail[(tail < xmin) | (tail > (xmax or np.inf))]
    if len(outside):
        raise ScaleinvError(
            f"compare: the tail holds {outside[0]:g}, outside [x_min, x_max] = "
            f"[{xmin}, {xmax or 'inf'}]; pass only the fitted tail, sizes in [x_min, x_max]"
        )
    x, counts = np.unique(tail, return_counts=True)
    power = power_law_logpmf(x, alpha, xmin, xmax)
    results = {}
    for name, law in RIVAL_LAWS.items():
        if name == "cutoff" and cutoff is not None:
            params = dict(zip(law.params, cutoff, strict=True))
        else:
            params = law.fit(x, counts, xmin, xmax, alpha)
        if name == "stretched_exponential" and params["beta"] == 0:
            # at beta = 0 the stretched exponential is a power law, no alternative to it
            results[name] = Comparison(name, 0.0, 1.0, 0.0, params)
            continue
        ratio, p, normalized = likelihood_ratio(power, law.logpmf(x, params, xmin, xmax), counts)
        if name == "cutoff":
            # Nested: the cutoff law contains the power law, so R <= 0 and -2R ~ chi2(1)
            # (CSN app. C); chi2(1).sf(q) = erfc(sqrt(q / 2)).
            ratio, normalized = min(0.0, ratio), min(0.0, normalized)
            p = float(special.erfc(np.sqrt(-ratio)))
        results[name] = Comparison(name, ratio, p, normalized, params)
    return results
