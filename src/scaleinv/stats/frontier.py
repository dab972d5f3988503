"""The maximal-relevance frontier of a sample of M inputs over integer m(k), with a certificate
from below (Song, Marsili & Jo 2018, J. Stat. Mech. 123406; Cubero, Jo, Marsili, Roudi & Song
2019, J. Stat. Mech. 063402), in nats.

A sample is an integer vector m(k) >= 0, k = 1..M, with sum_k k m(k) = M: m(k) codes hold k
inputs each. Its resolution and relevance are (Lee & Jo 2022, Eqs. 4 and 5)

    H(Z) = log M - sum_k k m(k) log k / M,     H(K) = -sum_k (k m(k)/M) log(k m(k)/M).

The samples of size M give a finite set of points (H(Z), H(K)). The frontier F_M(h), for h in
[0, log M], is the upper concave envelope of that set at h: the largest H(K) of a mixture of
samples whose mean H(Z) is h. It is the maximal relevance at resolution h wherever a sample
sits on the envelope, and at M = 60,000 the points are dense enough that it is the maximal
H(K) at H(Z) = h for every h to within the gap below. `relevance_max(M, h)` returns

- `value` >= F_M(h): the least of three bounds that every sample obeys, each a line in H(Z):
  H(K) <= H(Z) (K = k_Z is a function of Z), H(K) <= log n_max (H(K) is an entropy over the
  occupied sizes, and n distinct sizes hold at least n(n+1)/2 inputs), and a Lagrangian line
  H(K) <= lambda H(Z) + D(lambda, nu) for the multipliers found at h (see `_Dual`). For
  M <= EXACT_MAX also the line max over samples of H(K) - lambda H(Z), by a knapsack over
  sizes (`_knapsack`): by duality over a finite set this makes `value` = F_M(h) (to 1e-8);
- `lower` <= F_M(h): w H(K)(a) + (1 - w) H(K)(b) for two integer samples a, b (both returned)
  with w H(Z)(a) + (1 - w) H(Z)(b) = h: neighbouring vertices of the upper hull of the samples
  found (the dual's maximisers, each moved by one code to hold exactly M inputs);
- `gap` = value - lower, which bounds the error of either as the frontier. It is largest just
  above `threshold`: 1.3e-3 nats at M = 60,000, 0.018 at M = 201; 0 for every M <= 40.

Up to `threshold`, the largest H(Z) of a sample with all sizes distinct (m(k) <= 1, so
H(K) = H(Z)), the frontier is the diagonal H(K) = H(Z) itself and the gap is zero.
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

LAMBDA_MIN = -200.0  # the dual's steepest slope: the envelope's is about -log(M/2)/log 2
LAMBDA_MAX = 1.0 - 1e-9  # slope 1 is the diagonal, handled on its own
OUTER, INNER = 34, 46  # bisection steps: lambda to 1.2e-8, nu to 2e-13 (any pair is a valid bound)
KEEP = 16  # repaired samples kept per multiplier pair, the best by the Lagrangian
EXACT_MAX = 200  # up to this M the constraint sum x = M is kept exactly (a knapsack, O(M^2 log M))


@dataclass(frozen=True)
class Sample:
    """One integer sample: `m[i]` codes of size `k[i]` (sum k m = M), with its H(Z), H(K)."""

    k: np.ndarray
    m: np.ndarray
    h_z: float
    h_k: float


@dataclass(frozen=True)
class Frontier:
    """The frontier of M inputs at each resolution `h_z` (see the module docstring).

    value: the upper bound (the frontier to within `gap`); lower: achieved by the mixture
    `weight` * samples[left] + (1 - weight) * samples[right], whose mean H(Z) is h_z;
    slope, intercept: the line value <= slope * H(Z) + intercept that no sample crosses (the
    diagonal's (1, 0) up to `threshold`), so slope is dF/dH(Z) at h_z to within the gap and
    -slope is the paper's beta of m(k) ~ k^(-beta - 1) (Sec. III, Eqs. 6 and 7); nan at
    h_z = log M, where only the all-singletons sample sits.
    """

    M: int
    h_z: np.ndarray
    value: np.ndarray
    lower: np.ndarray
    slope: np.ndarray
    intercept: np.ndarray
    threshold: float
    samples: tuple[Sample, ...]
    left: np.ndarray
    right: np.ndarray
    weight: np.ndarray

    @property
    def gap(self):
        """value - lower: how far either can be from the frontier."""
        return self.value - self.lower

    def bound(self, h_z):
        """An upper bound on H(K) of every sample of M inputs with resolution `h_z` (any
        values in [0, log M]): the least of this result's lines, the diagonal and log n_max.
        Concave in h_z and valid everywhere; tight (within `gap`) at this result's h_z."""
        return _bound(self.M, np.asarray(h_z, np.float64), self.slope, self.intercept)


def relevance_max(M, h_z):
    """The maximal relevance H(K) of a sample of M inputs at resolution `h_z` (a float or an
    array in [0, log M], nats), over integer m(k): bounded above, achieved from below.

    Parameters
    ----------
    M : int
        The number of inputs, >= 1.
    h_z : float or array_like
        Resolutions H(Z) in [0, log M].

    Returns
    -------
    Frontier
        Arrays shaped like `h_z`: `value` (upper bound), `lower` (achieved), `gap`, the
        supporting line (`slope`, `intercept`) and the certificate (`samples`, `left`,
        `right`, `weight`).
    """
    if isinstance(M, bool) or not isinstance(M, (int, np.integer)) or M < 1:
        raise ValueError(f"M must be an integer >= 1 (got {M!r})")
    M = int(M)
    log_m = math.log(M)
    shape = np.shape(h_z)
    h = np.array(h_z, np.float64).ravel()
    bad = ~np.isfinite(h) | (h < -1e-12) | (h > log_m + 1e-12)
    if bad.any():
        raise ValueError(
            f"h_z must lie in [0, log M] = [0, {log_m:.6g}] for M = {M} (got {h[bad][0]!r})"
        )
    h = np.clip(h, 0.0, log_m)

    diagonal = _distinct_sample(M)
    slope, intercept = np.ones(len(h)), np.zeros(len(h))
    slope[h >= log_m] = np.nan
    pool = _Pool(M)
    for sample in (_sample(M, [M], [1]), diagonal, _sample(M, [1], [M])):
        pool.add_sample(sample)
    solve = np.flatnonzero((h > diagonal.h_z) & (h < log_m))
    if len(solve):
        dual = _Dual(M)
        slope[solve], intercept[solve], configs = dual.solve(h[solve])
        for lam, c in configs:
            pool.add_config(dual, lam, c)
        if M <= EXACT_MAX:
            lam, d = _knapsack(M, h[solve])
            better = lam * h[solve] + d < slope[solve] * h[solve] + intercept[solve]
            slope[solve] = np.where(better, lam, slope[solve])
            intercept[solve] = np.where(better, d, intercept[solve])

    value = _bound(M, h, slope, intercept)
    samples, left, right, weight, lower = pool.certify(h)
    return Frontier(
        M=M,
        h_z=h.reshape(shape),
        value=value.reshape(shape),
        lower=lower.reshape(shape),
        slope=slope.reshape(shape),
        intercept=intercept.reshape(shape),
        threshold=diagonal.h_z,
        samples=samples,
        left=left.reshape(shape),
        right=right.reshape(shape),
        weight=weight.reshape(shape),
    )


def _bound(M, h, slope, intercept):
    """min(H(Z), log n_max, every finite line) at h; 0 at log M (all singletons)."""
    n_max = (math.isqrt(8 * M + 1) - 1) // 2  # the largest n with n(n+1)/2 <= M
    lines = np.isfinite(slope)
    slope, intercept = np.ravel(slope)[lines.ravel()], np.ravel(intercept)[lines.ravel()]
    flat = h.ravel()
    value = np.minimum(flat, math.log(n_max))
    for start in range(0, len(slope), 256):  # bounded memory for many points and lines
        part = slice(start, start + 256)
        value = np.minimum(value, (np.outer(flat, slope[part]) + intercept[part]).min(axis=1))
    value[flat >= math.log(M)] = 0.0
    return value.reshape(h.shape)


def _steps(j):
    """a_j = j log j - (j - 1) log(j - 1), the cost of a j-th code of one size (a_1 = 0)."""
    j = np.asarray(j, np.float64)
    below = np.maximum(j - 1.0, 1.0)
    return np.where(j <= 1.0, 0.0, np.log(np.maximum(j, 1.0)) + (j - 1.0) * np.log1p(1.0 / below))


def _count(s):
    """N(s) = #{j >= 1: a_j <= s}: the best integer number of codes of a size whose score is
    s. Start from a_j ~ log j + 1 - 1/(2j), then correct by whole steps (at most one is
    needed; two each way for safety)."""
    with np.errstate(over="ignore"):
        j = np.maximum(np.floor(np.exp(np.minimum(s, 700.0) - 1.0) + 0.5), 1.0)
    for _ in range(2):
        j = np.where(_steps(j + 1.0) <= s, j + 1.0, j)
    for _ in range(2):
        j = np.where((j >= 1.0) & (_steps(j) > s), j - 1.0, j)
    return j


class _Dual:
    """The Lagrangian bound. For any real lambda, nu and any sample (sum_k x_k = M, x_k =
    k m(k)), H(K) - lambda H(Z) equals

        (1/M) sum_k k m(k) (s_k - log m(k)) + nu - lambda log M,
        s_k = c + (lambda - 1) log k,  c = log M - nu,

    (Eqs. 4, 5 and the paper's Eq. 6 with alpha = -nu, beta = -lambda) and this is at most
    D(lambda, nu), its maximum over all integer m(k) >= 0 with the constraint sum x_k = M
    dropped. The maximum is separable: each m(k) is N(s_k), since the j-th code of size k adds
    k (s_k - a_j). So H(K) <= lambda H(Z) + D for every sample and every (lambda, nu); the
    multipliers are only chosen to make the line touch the envelope at h: nu where sum x_k
    crosses M, lambda where the mixture of the two maximisers there has H(Z) = h.

    The maximiser is a staircase (N(s_k) falls with k when lambda < 1), evaluated in
    O(M^(1/3)): rows k <= d one by one, and the rest of the staircase by columns j, each of
    which holds the sizes d < k <= n_j = exp((c - a_j) / (1 - lambda)) (sums over k from
    prefix sums). With d^2 * J ~ 4M, a staircase of more than J columns past row d holds more
    than 2M inputs, so no more columns are needed.
    """

    def __init__(self, M):
        self.M, self.log_m = M, math.log(M)
        k = np.arange(1, M + 1, dtype=np.float64)
        k_log_k = k * np.log(k)
        # prefix sums of k log k, accumulated in extended precision (60,000 terms)
        self.prefix = np.concatenate(
            [[0.0], np.cumsum(k_log_k.astype(np.longdouble)).astype(np.float64)]
        )
        self.d = d = min(M, math.ceil((4 * M) ** (1 / 3)))
        self.k, self.log_k, self.k_log_k = k[:d], np.log(k[:d]), k_log_k[:d]
        self.columns = 4 * M // ((d + 1) * (d + 2)) + 1
        self.a = _steps(np.arange(1, self.columns + 1))

    def sums(self, lam, c, totals_only=False):
        """sum x, sum x log k, sum x log m of the maximiser at each (lam, c); sum x = inf
        where it holds more than 2M inputs."""
        count = _count(c[:, None] + (lam[:, None] - 1.0) * self.log_k)
        s0 = count @ self.k
        s1 = None if totals_only else count @ self.k_log_k
        s2 = None if totals_only else special.xlogy(count, count) @ self.k
        d, M = self.d, self.M
        if d < M:
            deepest = _count(c + (lam - 1.0) * math.log(d + 1))  # N at k = d + 1
            reach = (c[:, None] - self.a) / (1.0 - lam[:, None])
            n = np.minimum(np.floor(np.exp(np.minimum(reach, self.log_m + 1.0))), M)
            inside = np.arange(1, self.columns + 1) <= deepest[:, None]
            n = np.where(inside, np.maximum(n, d + 1), d)
            inputs = n * (n + 1) / 2 - d * (d + 1) / 2
            s0 = np.where(deepest > self.columns, np.inf, s0 + inputs.sum(axis=1))
            if not totals_only:
                s1 = s1 + (self.prefix[n.astype(np.int64)] - self.prefix[d]).sum(axis=1)
                s2 = s2 + inputs @ self.a
        return s0, s1, s2

    def intercept(self, lam, c):
        """D(lam, nu) with nu = log M - c, and the maximiser's sum x and sum x log k."""
        s0, s1, s2 = self.sums(lam, c)
        return (
            (self.log_m - c) - lam * self.log_m + (c * s0 + (lam - 1.0) * s1 - s2) / self.M,
            s0,
            s1,
        )

    def crossing(self, lam):
        """c just below and just above the point where the maximiser's sum x crosses M."""
        low = np.full(len(lam), -1.0)  # c < 0: no code at all
        high = np.full(len(lam), self.log_m + 2.0)  # N(c) > M codes of size 1 already
        for _ in range(INNER):
            mid = (low + high) / 2
            under = self.sums(lam, mid, totals_only=True)[0] < self.M
            low, high = np.where(under, mid, low), np.where(under, high, mid)
        return low, high

    def solve(self, h):
        """The best line found for each h (slope, intercept) and the multipliers
        (lambda, c) whose maximisers are repaired into samples."""
        M = self.M
        low, high = np.full(len(h), LAMBDA_MIN), np.full(len(h), LAMBDA_MAX)
        best = np.full(len(h), np.inf)
        slope, intercept = np.zeros(len(h)), np.zeros(len(h))
        ends = {}
        for _ in range(OUTER):
            lam = (low + high) / 2
            c_low, c_high = self.crossing(lam)
            d_low, n_low, a_low = self.intercept(lam, c_low)
            d_high, n_high, a_high = self.intercept(lam, c_high)
            d = np.fmin(d_low, d_high)  # each is a valid intercept (inf past 2M inputs)
            better = lam * h + d < best
            best = np.where(better, lam * h + d, best)
            slope, intercept = np.where(better, lam, slope), np.where(better, d, intercept)
            # subgradient in lambda: h minus H(Z) of the mixture with sum x = M
            with np.errstate(invalid="ignore", divide="ignore"):
                share = np.where(np.isfinite(n_high), (M - n_low) / (n_high - n_low), 0.0)
            h_mix = self.log_m - (a_low + share * (np.nan_to_num(a_high) - a_low)) / M
            steeper = h > h_mix  # the touching line is steeper: lambda lies below
            low, high = np.where(steeper, low, lam), np.where(steeper, lam, high)
            for i in range(len(h)):
                ends[i, bool(steeper[i])] = (lam[i], c_low[i], c_high[i])
        configs = []
        for lam, c_low, c_high in ends.values():
            configs += [(lam, c_low), (lam, c_high)]
        return slope, intercept, configs


def _knapsack(M, h):
    """The exact line at each h for small M: max over samples of H(K) - lambda H(Z) =
    (1 - lambda) log M + max sum_k x_k (lambda log k - log x_k) / M (Eqs. 4, 5), the maximum
    over integer m(k) with sum_k k m(k) = M by dynamic programming over sizes k, and lambda by
    bisection on its subgradient h - H(Z) of the maximiser."""
    log_m = math.log(M)
    low, high = np.full(len(h), LAMBDA_MIN), np.full(len(h), LAMBDA_MAX)
    best, slope, intercept = np.full(len(h), np.inf), np.zeros(len(h)), np.zeros(len(h))
    for _ in range(OUTER):
        lam = (low + high) / 2
        value = np.full((len(h), M + 1), -np.inf)  # best sum over sizes so far, by inputs
        value[:, 0] = 0.0
        spread = np.zeros((len(h), M + 1))  # sum x log k of that best
        for k in range(1, M + 1):
            old_value, old_spread = value.copy(), spread.copy()
            for count in range(1, M // k + 1):
                x = k * count
                gain = x * (lam[:, None] * math.log(k) - math.log(x))
                candidate = old_value[:, : M + 1 - x] + gain
                take = candidate > value[:, x:]
                value[:, x:] = np.where(take, candidate, value[:, x:])
                spread[:, x:] = np.where(
                    take, old_spread[:, : M + 1 - x] + x * math.log(k), spread[:, x:]
                )
        d = (1.0 - lam) * log_m + value[:, M] / M
        better = lam * h + d < best
        best = np.where(better, lam * h + d, best)
        slope, intercept = np.where(better, lam, slope), np.where(better, d, intercept)
        steeper = h > log_m - spread[:, M] / M
        low, high = np.where(steeper, low, lam), np.where(steeper, lam, high)
    return slope, intercept


def _distinct_sample(M):
    """The sample with distinct sizes of largest H(Z): 1..n, the top r of them one larger
    (M = n(n+1)/2 + r, 0 <= r <= n). Among distinct parts summing to M it is majorised by
    every other, so it minimises sum k log k (tested by enumeration, M <= 40)."""
    n = (math.isqrt(8 * M + 1) - 1) // 2
    r = M - n * (n + 1) // 2
    k = np.arange(1, n + 1)
    k[n - r :] += 1
    return _sample(M, k, np.ones(n, np.int64))


def _sample(M, k, m):
    """A Sample with H(Z), H(K) from Eqs. 4 and 5."""
    k, m = np.asarray(k, np.int64), np.asarray(m, np.int64)
    keep = m > 0
    k, m = k[keep], m[keep]
    order = np.argsort(k)
    k, m = k[order], m[order]
    x = (k * m).astype(np.float64)
    h_z = math.log(M) - float(np.dot(x, np.log(k))) / M  # Eq. 4
    h_k = math.log(M) - float(np.dot(x, np.log(x))) / M  # Eq. 5 with sum x = M
    return Sample(k=k, m=m, h_z=h_z, h_k=h_k)


class _Pool:
    """Achievable points and how to build each: fixed samples, or a maximiser of the dual
    moved by one code so that it holds exactly M inputs. Certify takes their upper concave
    hull."""

    def __init__(self, M):
        self.M, self.log_m = M, math.log(M)
        self.points, self.builds = [], []

    def add_sample(self, sample):
        self.points.append(np.array([[sample.h_z, sample.h_k]]))
        self.builds.append(("sample", sample))

    def add_config(self, dual, lam, c):
        """Repair the maximiser at (lam, c): when it holds S < M inputs, add a code of
        size M - S or grow one code by M - S; when S > M, shrink one code by S - M (or drop
        it). Keep the KEEP repairs highest above the line of slope lam."""
        M = self.M
        if not c >= 0.0:
            return
        reach = min(M, math.isqrt(4 * M) + 2, math.floor(math.exp(min(c / (1.0 - lam), 50.0))))
        k = np.arange(1, reach + 1)
        m = _count(c + (lam - 1.0) * np.log(k)).astype(np.int64)
        x = k * m
        total = int(x.sum())
        present = k[m > 0]
        if total < M:
            src = np.concatenate([[0], present[present + (M - total) <= M]])
            dst = src + (M - total)
        elif total > M:
            src = present[present >= total - M]
            dst = src - (total - M)
        else:
            src = dst = np.zeros(1, np.int64)
        if len(src) == 0:
            return
        x_of = np.concatenate([[0], x])
        x_src = np.where(src > 0, x_of[np.minimum(src, reach)], 0)
        x_dst = np.where((dst > 0) & (dst <= reach), x_of[np.minimum(dst, reach)], 0)
        moved = src != dst
        a = float(np.dot(x, np.log(k)))
        b = float(special.xlogy(x, x).sum())
        da = np.where(moved, special.xlogy(dst, dst) - special.xlogy(src, src), 0.0)
        db = np.where(
            moved,
            special.xlogy(x_src - src, x_src - src)
            - special.xlogy(x_src, x_src)
            + special.xlogy(x_dst + dst, x_dst + dst)
            - special.xlogy(x_dst, x_dst),
            0.0,
        )
        h_z = self.log_m - (a + da) / M  # Eq. 4
        h_k = self.log_m - (b + db) / M  # Eq. 5
        best = np.argsort(lam * h_z - h_k)[:KEEP]
        self.points.append(np.column_stack([h_z[best], h_k[best]]))
        self.builds += [("move", (k, m, int(src[i]), int(dst[i]))) for i in best]

    def build(self, index):
        kind, what = self.builds[index]
        if kind == "sample":
            return what
        k, m, src, dst = what
        counts = dict(zip(k.tolist(), m.tolist(), strict=True))
        if src != dst:
            if src:
                counts[src] -= 1
            if dst:
                counts[dst] = counts.get(dst, 0) + 1
        return _sample(self.M, list(counts), list(counts.values()))

    def certify(self, h):
        """The hull vertices that bracket each h, rebuilt as samples, with the weights."""
        points = np.concatenate(self.points)
        vertices = _upper_hull(points)
        samples, position = [], {}
        for index in vertices:
            position[index] = len(samples)
            samples.append(self.build(index))
        x = np.array([s.h_z for s in samples])
        y = np.array([s.h_k for s in samples])
        right = np.clip(np.searchsorted(x, h, side="left"), 0, len(x) - 1)
        left = np.maximum(right - 1, 0)
        left = np.where(x[right] <= h, right, left)
        span = x[right] - x[left]
        with np.errstate(invalid="ignore", divide="ignore"):
            weight = np.where(span > 0, (x[right] - h) / span, 1.0)
        lower = weight * y[left] + (1.0 - weight) * y[right]
        return tuple(samples), left, right, weight, lower


def _upper_hull(points):
    """Row indices of the upper concave hull's vertices of (x, y) points, by increasing x
    (Andrew's monotone chain)."""
    order = np.lexsort((-points[:, 1], points[:, 0]))
    hull = []
    for i in order:
        x, y = points[i]
        if hull and points[hull[-1], 0] == x:
            continue  # same x, lower y
        while len(hull) >= 2:
            (x0, y0), (x1, y1) = points[hull[-2]], points[hull[-1]]
            if (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0) >= 0:
                hull.pop()  # the middle point is on or below the chord
            else:
                break
        hull.append(i)
    return hull
