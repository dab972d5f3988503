"""Resolution H(Z) of a sample of cluster sizes, and the continuous relaxation of the
relevance bound (paper Sec. III; Song, Marsili & Jo 2018; Cubero et al. 2019), in nats;
the exact frontier over integer m(k) is `scaleinv.stats.frontier`."""

import math

import numpy as np
import numpy.typing as npt
from scipy import special


def resolution(k: npt.ArrayLike, m: npt.ArrayLike) -> tuple[int, int, float]:
    """(M, distinct codes, H(Z)) of m[i] codes of size k[i] (paper Eq. 4:
    H(Z) = log M - sum_k m(k) k log k / M)."""
    k, m = np.asarray(k, np.float64), np.asarray(m)
    samples = np.dot(k, m)
    return int(samples), int(m.sum()), float(np.log(samples) - np.dot(m, k * np.log(k)) / samples)


def max_relevance(M: int, h_z: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The continuous relaxation of the relevance bound (Song, Marsili & Jo 2018; Cubero et
    al. 2019): the largest H(K) at resolution H(Z) (a float or an array, 0 <= H(Z) <= log M)
    over REAL m(k) >= 0 with sum_k k m(k) = M, capped by log n_max, in nats. An upper bound
    only: it ignores H(K) <= H(Z) and overshoots the integer frontier by up to 4.8 nats at
    M = 60,000; verdicts and figures use the frontier (`scaleinv.stats.frontier`), this is
    kept as its benchmark's baseline and its tests' outer bound.

    With q_k = k m(k) / M, H(Z) = log M - sum_k q_k log k is linear and H(K) = -sum_k q_k
    log q_k concave in m(k), so over real m(k) >= 0 with sum_k k m(k) = M the maximiser is
    the maximum-entropy family q_k ~ k^mu, k = 1..M: exact power laws m(k) ~ k^(mu-1) over
    all real mu (mu -> -inf: all singletons, H(Z) = log M; mu -> inf: one cluster, H(Z) = 0).
    A sample has integer m(k), so it also obeys H(K) <= log n_max: H(K) is an entropy over
    the occupied sizes, and n distinct sizes hold at least n(n+1)/2 inputs.
    """
    h_z = np.asarray(h_z, np.float64)
    k = np.arange(1, M + 1, dtype=np.float64)
    relaxed = np.zeros(h_z.shape)
    inside = np.flatnonzero((h_z > 0) & (h_z < math.log(M)))
    for start in range(0, len(inside), 32):  # 32 rows of M terms at a time: bounded memory
        chunk = inside[start : start + 32]
        relaxed.flat[chunk] = _relaxed_relevance(np.log(k), np.log(M / k), h_z.flat[chunk])
    n_max = (math.isqrt(8 * M + 1) - 1) // 2  # the largest n with n(n+1)/2 <= M
    return np.minimum(relaxed, math.log(n_max))


def _relaxed_relevance(
    log_k: npt.NDArray[np.float64], log_rest: npt.NDArray[np.float64], h_z: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Entropy of q_k ~ k^mu over k = 1..M whose H(Z) = sum_k q_k log(M/k) is `h_z` (an array
    inside (0, log M)). mu by safeguarded Newton steps (H(Z) falls with mu at the rate
    var log k) inside a bracket that doubles outward until it holds the root. The smaller of
    H(Z) and log M - H(Z) is matched, as sum q log(M/k) or sum q log k: near either end
    that sum is small and exact to its last digits, where the difference would not be."""
    mu = np.zeros(len(h_z))
    low, high = np.full(len(mu), -np.inf), np.full(len(mu), np.inf)
    upper = h_z < log_k[-1] / 2  # match H(Z) itself, else mean log k = log M - H(Z)
    target = np.where(upper, h_z, log_k[-1] - h_z)
    entropy = np.zeros(len(mu))
    active = np.arange(len(mu))
    for _ in range(200):
        log_q = mu[active, None] * log_k
        log_q -= special.logsumexp(log_q, axis=1, keepdims=True)
        q = np.exp(log_q)
        mean = q @ log_k
        variance = np.einsum("ij,ij->i", q, (log_k - mean[:, None]) ** 2)
        entropy[active] = -np.einsum("ij,ij->i", q, log_q)
        # excess of mean log k over its target; it increases with mu
        excess = np.where(upper[active], target[active] - q @ log_rest, mean - target[active])
        m, lo, hi = mu[active], low[active], high[active]
        lo, hi = np.where(excess <= 0, m, lo), np.where(excess > 0, m, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = m - excess / variance
        widen = np.maximum(1.0, np.abs(m))
        fallback = np.where(
            np.isinf(hi), m + widen, np.where(np.isinf(lo), m - widen, (lo + hi) / 2)
        )
        mu[active] = np.where((step > lo) & (step < hi), step, fallback)
        low[active], high[active] = lo, hi
        active = active[np.abs(excess) > 1e-13 * target[active]]
        if len(active) == 0:
            break
    return entropy
