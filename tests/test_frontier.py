"""Known answers for the maximal-relevance frontier (scaleinv.stats.frontier): every partition
of M <= 40 enumerated (the bound is never crossed and the envelope is reached), the diagonal
and log M never crossed, and at M = 60,000 integer samples rebuilt from the certificate."""

import math

import numpy as np
import pytest
from scipy import special

from scaleinv.stats import frontier
from scaleinv.stats.frontier import relevance_max


def achievable(M):
    """(H(Z), H(K)) of every partition of M: m(k) for k = M..2 chosen in turn (all counts
    that still fit), m(1) takes the rest."""
    used, a, b = np.zeros(1, np.int64), np.zeros(1), np.zeros(1)
    for k in range(M, 1, -1):
        reps = (M - used) // k + 1
        parent = np.repeat(np.arange(len(used)), reps)
        count = np.arange(len(parent)) - np.repeat(np.cumsum(reps) - reps, reps)
        x = (k * count).astype(np.float64)
        used, a, b = used[parent] + k * count, a[parent] + x * math.log(k), b[parent]
        b = b + special.xlogy(x, x)
    x = (M - used).astype(np.float64)
    b = b + special.xlogy(x, x)
    return math.log(M) - a / M, math.log(M) - b / M  # Eqs. 4 and 5


def envelope(h_z, h_k):
    """The upper concave envelope's vertices (x ascending) of the points."""
    vertices = frontier._upper_hull(np.column_stack([h_z, h_k]))
    return h_z[vertices], h_k[vertices]


def plain_entropies(M, k, m):
    """H(Z), H(K) straight from the codes: one probability k/M per code, one k m(k)/M per
    size."""
    codes = np.repeat(k, m) / M
    share = k * m / M
    return float(-(codes * np.log(codes)).sum()), float(-(share * np.log(share)).sum())


def check_against_enumeration(M, tolerance):
    h_z, h_k = achievable(M)
    x, y = envelope(h_z, h_k)
    grid = np.unique(np.concatenate([np.linspace(0.0, math.log(M), 101), x]))
    result = relevance_max(M, grid)
    exact = np.interp(grid, x, y)
    assert np.all(result.bound(h_z) >= h_k - 1e-9)  # no partition crosses the bound
    assert np.all(result.value >= exact - 1e-9)
    assert np.max(result.value - exact) <= tolerance  # the envelope is reached from above
    assert np.all(result.lower <= exact + 1e-9)  # the certificate is achievable
    assert np.max(exact - result.lower) <= 1e-6  # and reaches the envelope at these M
    on_diagonal = np.abs(h_z - h_k) < 1e-12
    assert result.threshold == pytest.approx(h_z[on_diagonal].max(), abs=1e-12)
    return float(np.max(result.value - exact))


def test_partitions_counted():
    assert [len(achievable(M)[0]) for M in (1, 5, 10, 20)] == [1, 7, 42, 627]


@pytest.mark.parametrize("M", [1, 2, 3, 4, 7, 12, 20])
def test_frontier_is_the_envelope_of_all_partitions(M):
    # up to EXACT_MAX the knapsack line makes the value the envelope itself
    check_against_enumeration(M, tolerance=1e-6)


@pytest.mark.slow
def test_every_partition_up_to_40(monkeypatch):
    assert len(achievable(40)[0]) == 37_338
    for M in range(1, 41):
        check_against_enumeration(M, tolerance=1e-6)
    # the relaxed dual alone, the one used above EXACT_MAX (M = 60,000), is valid and loose
    # by at most 0.1 nats here (0.095 at M = 4, 0.038 at M = 40)
    monkeypatch.setattr(frontier, "EXACT_MAX", 0)
    worst = max(check_against_enumeration(M, tolerance=0.1) for M in range(1, 41))
    assert worst > 0.01  # it is the relaxed path that ran


def test_relaxed_dual_is_valid_on_small_samples(monkeypatch):
    monkeypatch.setattr(frontier, "EXACT_MAX", 0)
    for M in (4, 13, 25):
        check_against_enumeration(M, tolerance=0.1)


@pytest.mark.parametrize("M", [1, 2, 3, 5, 10, 41, 200, 201, 997, 4096, 60_000, 250_000])
def test_never_above_the_diagonal_or_log_m(M):
    h = np.linspace(0.0, math.log(M), 37)
    result = relevance_max(M, h)
    n_max = (math.isqrt(8 * M + 1) - 1) // 2
    assert np.all(result.value <= h + 1e-12)
    assert np.all(result.value <= math.log(M) + 1e-12)
    assert np.all(result.value <= math.log(n_max) + 1e-12)
    assert np.all(result.gap >= -1e-9)
    assert result.value[0] == 0.0 and result.value[-1] == 0.0


def test_samples_at_60000_rebuild_the_lower_values():
    M = 60_000
    h = np.linspace(0.0, math.log(M), 50)
    result = relevance_max(M, h)
    rebuilt = []
    for sample in result.samples:
        assert np.all(sample.m >= 1) and int(np.dot(sample.k, sample.m)) == M
        assert len(np.unique(sample.k)) == len(sample.k) and sample.k.min() >= 1
        h_z, h_k = plain_entropies(M, sample.k, sample.m)
        assert (h_z, h_k) == pytest.approx((sample.h_z, sample.h_k), abs=1e-9)
        rebuilt.append((h_z, h_k))
    rebuilt = np.array(rebuilt)
    w, left, right = result.weight, result.left, result.right
    assert np.all((w >= 0) & (w <= 1))
    mixed = w[:, None] * rebuilt[left] + (1 - w[:, None]) * rebuilt[right]
    np.testing.assert_allclose(mixed[:, 0], h, atol=1e-9)
    np.testing.assert_allclose(mixed[:, 1], result.lower, atol=1e-9)
    assert np.max(result.gap) <= 0.01 and np.min(result.gap) >= -1e-9


def test_diagonal_below_the_threshold():
    for M in (3, 10, 40, 1000, 60_000):
        result = relevance_max(M, [0.0])
        below = np.linspace(0.0, result.threshold, 25)
        at = relevance_max(M, below)
        np.testing.assert_allclose(at.value, below, atol=1e-12)
        np.testing.assert_allclose(at.lower, below, atol=1e-12)
        assert np.all(at.slope == 1.0)
    # the threshold sample: distinct sizes 1..346 at M = 60,000, 5 of them one larger
    M = 60_000
    result = relevance_max(M, [5.0, 5.8])
    assert result.threshold == pytest.approx(5.6532, abs=1e-4)
    assert result.value[0] == 5.0 and result.value[1] < 5.8 - 0.05


def test_scalar_and_errors():
    result = relevance_max(1000, 4.0)
    assert np.shape(result.value) == () and float(result.gap) >= -1e-12
    with pytest.raises(ValueError, match="h_z must lie in"):
        relevance_max(100, [1.0, 5.0])
    with pytest.raises(ValueError, match="M must be an integer"):
        relevance_max(0, 0.0)
    with pytest.raises(AttributeError):
        result.M = 3  # frozen
