"""Effect sizes beside the p-values: how far from a straight line on log-log axes a tail
is, in units that do not shrink with the sample size.

A p-value only says how many codes there were; the curvature says how much m(k) bends.
The tail's sizes are counted on logarithmic bins of k (BINS_PER_DECADE per decade) and the
counts fitted by Poisson regression with the density ln m(k) = a + b u + c' u^2, u =
log10 k (centred), summed over each bin's integers (narrow bins exactly, wide bins by
Gauss-Legendre quadrature with a continuity correction). Poisson regression keeps the empty
bins of a sparse far tail, which a least-squares line through log counts must drop, biasing
the curve upward. The curvature c = c' / ln 10, the quadratic coefficient of log10 m(k)
in log10 k, is 0 for an exact power law, negative for a lognormal or a cutoff,
positive for a tail that flattens; its interval comes from resampling the tail's codes.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

BINS_PER_DECADE = 5
MIN_BINS = 4  # a parabola through three bins has no residual: nothing to judge
EXACT_WIDTH = 32  # bins of at most this many integers are summed exactly
NODES = 8  # Gauss-Legendre nodes for the wider bins
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Curvature:
    value: float  # c, the quadratic coefficient of log10 m(k) in log10 k
    low: float
    high: float


@dataclass(frozen=True)
class _Bins:
    edges: npt.NDArray[np.int64]  # integer edges: bin i holds lo_i <= k < hi_i
    u: npt.NDArray[np.float64]  # centred log10 k of every node
    weights: npt.NDArray[np.float64]  # each node's weight in its bin's sum
    index: npt.NDArray[np.int64]  # each node's bin


def _bins(xmin: int, top: int) -> _Bins:
    """Logarithmic bins from xmin to top (inclusive) and the nodes summing over each."""
    decades = np.log10(top + 1) - np.log10(xmin)
    count = max(int(np.ceil(decades * BINS_PER_DECADE)), 1)
    edges = np.unique(np.floor(xmin * np.logspace(0, decades, count + 1)).astype(np.int64))
    edges[-1] = top + 1
    nodes: list[npt.NDArray[np.float64]] = []
    weights: list[npt.NDArray[np.float64]] = []
    index: list[npt.NDArray[np.int64]] = []
    legendre, legendre_weights = np.polynomial.legendre.leggauss(NODES)
    for i, (lo, hi) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        if hi - lo <= EXACT_WIDTH:
            k, w = np.arange(lo, hi, dtype=np.float64), np.ones(hi - lo)
        else:  # the integers lo..hi-1 as the interval [lo - 1/2, hi - 1/2]
            half = (hi - lo) / 2
            k, w = lo - 0.5 + half * (legendre + 1), half * legendre_weights
        nodes.append(k)
        weights.append(w)
        index.append(np.full(len(k), i))
    log_k = np.log10(np.concatenate(nodes))
    return _Bins(edges, log_k - log_k.mean(), np.concatenate(weights), np.concatenate(index))


def _least_squares_start(counts: npt.NDArray[np.float64], bins: _Bins) -> npt.NDArray[np.float64]:
    """(a, b, c) of a least-squares parabola through log density of the non-empty bins."""
    width = np.bincount(bins.index, bins.weights, len(counts))
    centre = np.bincount(bins.index, bins.weights * bins.u, len(counts)) / width
    kept = counts > 0
    c, b, a = np.polyfit(centre[kept], np.log(counts[kept] / width[kept]), 2)
    return np.array([a, b, c])


def _poisson_fit(
    counts: npt.NDArray[np.float64],
    bins: _Bins,
    start: npt.ArrayLike | None = None,
    steps: int = 50,
) -> npt.NDArray[np.float64]:
    """(a, b, c) maximising the Poisson likelihood of the bin counts, by Fisher scoring
    (Newton's method with the expected information, as in IRLS for a Poisson GLM)."""
    features = np.stack([np.ones_like(bins.u), bins.u, bins.u**2])  # d log density / d params
    params = np.array(_least_squares_start(counts, bins) if start is None else start, np.float64)
    for _ in range(steps):
        weighted = bins.weights * np.exp(np.clip(features.T @ params, -700, 700))
        expected = np.bincount(bins.index, weighted, len(counts))
        slopes = np.stack([np.bincount(bins.index, weighted * f, len(counts)) for f in features])
        score = slopes @ (counts / expected - 1)  # d loglik / d params
        information = (slopes / expected) @ slopes.T
        step = np.linalg.solve(information, score)
        params += step / max(1.0, np.abs(step).max())  # damped: no overshoot from afar
        if np.abs(step).max() < 1e-9:
            break
    return params


def log_binned_counts(
    tail: npt.ArrayLike, xmin: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(codes per logarithmic bin, the bins' integer edges) of a tail of sizes >= xmin."""
    bins = _bins(xmin, int(np.max(tail)))
    return np.histogram(tail, bins=bins.edges)[0], bins.edges


def _coefficients(
    tail: npt.NDArray[np.int64], bins: _Bins, start: npt.ArrayLike | None = None
) -> npt.NDArray[np.float64]:
    """(a, b, c') of a tail's bin counts (NaN with fewer than MIN_BINS non-empty bins)."""
    counts = np.histogram(tail, bins=bins.edges)[0].astype(np.float64)
    if np.count_nonzero(counts) < MIN_BINS:
        return np.full(3, np.nan)
    return _poisson_fit(counts, bins, start)


def curvature(
    tail: npt.ArrayLike, xmin: int, rng: np.random.Generator, replicates: int = 200
) -> Curvature:
    """The curvature c of a tail (integer sizes >= xmin) on log-log axes, with a
    percentile-bootstrap interval over its codes; NaN with fewer than MIN_BINS bins."""
    tail = np.asarray(tail, np.int64)
    bins = _bins(xmin, int(tail.max()))
    fitted = _coefficients(tail, bins)
    if not np.isfinite(fitted[2]):
        return Curvature(np.nan, np.nan, np.nan)
    draws = [_coefficients(rng.choice(tail, len(tail)), bins, fitted)[2] for _ in range(replicates)]
    low, high = np.nanquantile(draws, [(1 - CONFIDENCE) / 2, (1 + CONFIDENCE) / 2])
    return Curvature(*(float(v) / np.log(10) for v in (fitted[2], low, high)))
