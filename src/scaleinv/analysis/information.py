"""Information measures of a layer's codes (paper Sec. III), in nats.

Resolution H(Z) and relevance H(K) depend on m(k) only; the mutual information with the
labels, I(Z;Y) = H(Y) + H(Z) - H(Y,Z), needs the joint counts of (code, label).

The plug-in I(Z;Y) is biased upwards when codes are nearly unique: with one sample per
code it equals H(Y) whatever the network learned. Beside it stand the Miller-Madow
correction and I(Z;Y_shuffled), the plug-in estimate with the labels permuted (seeded),
which is pure bias: what is left of I_ZY above it is information the codes carry.
"""

import math

import numpy as np
import polars as pl
from scipy import special

from scaleinv.analysis.degeneracy import read_degeneracy
from scaleinv.codes import scan_codes
from scaleinv.tables import GROUP, group_seed, write_table


def _entropy(counts):
    """Polars expression: entropy of the distribution given by a column of counts.

    The counts are summed in sorted order: a group_by hands its rows on in no fixed order,
    and float sums in another order differ in the last bit (tables must be byte-identical).
    """
    counts = counts.sort()
    p = counts / counts.sum()
    return -(p * p.log()).sum()


def resolution_relevance(degeneracy_frame):
    """Per group: M, distinct codes, H(Z) and H(K) from a degeneracy frame (k, m)."""
    k, m = pl.col("k").cast(pl.Float64), pl.col("m").cast(pl.Float64)
    samples = (k * m).sum()
    return (
        degeneracy_frame.group_by(GROUP)
        .agg(
            samples.cast(pl.Int64).alias("M"),
            m.sum().cast(pl.Int64).alias("distinct"),
            # Eq. (4): H(Z) = -sum_k k m(k)/M log(k/M) = log M - sum_k k m(k) log k / M
            (samples.log() - (k * m * k.log()).sum() / samples).alias("H_Z"),
            # Eq. (5): relevance H(K) = -sum_k k m(k)/M log(k m(k)/M)
            _entropy(k * m).alias("H_K"),
        )
        .sort(GROUP)
    )


def label_entropies(codes):
    """Per labelled group: H(Y), H(Y,Z) and the numbers of distinct labels and of distinct
    (code, label) pairs, from a stacked codes frame (lazy, streamed)."""
    labelled = codes.filter(pl.col("label").is_not_null())
    joint = labelled.group_by([*GROUP, "code", "label"]).agg(pl.len().cast(pl.Float64).alias("n"))
    marginal = labelled.group_by([*GROUP, "label"]).agg(pl.len().cast(pl.Float64).alias("n"))
    h_yz = joint.group_by(GROUP).agg(_entropy(pl.col("n")).alias("H_YZ"), pl.len().alias("K_YZ"))
    h_y = marginal.group_by(GROUP).agg(_entropy(pl.col("n")).alias("H_Y"), pl.len().alias("K_Y"))
    return h_y.join(h_yz, on=GROUP).collect(engine="streaming")


def _plugin_information(code_ids, labels):
    """Plug-in I(Z;Y) in nats of two integer arrays (numpy; sums in sorted order)."""

    def entropy(values):
        counts = np.sort(np.unique(values, return_counts=True)[1]).astype(np.float64)
        p = counts / counts.sum()
        return -np.sum(p * np.log(p))

    pairs = code_ids * (int(labels.max()) + 1) + labels
    return entropy(code_ids) + entropy(labels) - entropy(pairs)


def shuffled_information(codes, seed):
    """{group key: I(Z;Y_shuffled)} of every labelled group: the plug-in estimate after a
    seeded permutation of the labels. The labelled codes are read once (one experiment's
    at a time); each group's rows are put in (code, label) order first, so the result
    depends on the codes, not on the order the files hold them in."""
    labelled = codes.filter(pl.col("label").is_not_null()).select(*GROUP, "code", "label")
    groups = labelled.collect(engine="streaming").partition_by(GROUP, as_dict=True)
    result = {}
    for key, frame in groups.items():
        frame = frame.sort("code", "label")
        code_ids = (frame["code"] != frame["code"].shift()).fill_null(True).cum_sum()
        labels = group_seed(seed, key).permutation(frame["label"].to_numpy().astype(np.int64))
        result[key] = _plugin_information(code_ids.to_numpy().astype(np.int64), labels)
    return result


def information_table(degeneracy_frame, codes, seed=0):
    """One row per group: M, distinct, H_Z, H_K, H_Y and I(Z;Y) (Eq. 10) as plug-in I_ZY,
    Miller-Madow I_ZY_mm and the shuffled-label baseline I_ZY_shuffled (null without labels).

    Miller-Madow adds (K - 1) / 2M to each entropy of K occupied bins, so
    I_ZY_mm = I_ZY + (K_Y + K_Z - K_YZ - 1) / 2M."""
    table = resolution_relevance(degeneracy_frame).join(
        label_entropies(codes), on=GROUP, how="left"
    )
    plugin = pl.col("H_Y") + pl.col("H_Z") - pl.col("H_YZ")
    correction = (pl.col("K_Y") + pl.col("distinct") - pl.col("K_YZ") - 1) / (2 * pl.col("M"))
    table = table.with_columns(plugin.alias("I_ZY"), (plugin + correction).alias("I_ZY_mm"))
    shuffled = shuffled_information(codes, seed)
    baseline = pl.Series("I_ZY_shuffled", [shuffled.get(k) for k in table.select(GROUP).rows()])
    return table.with_columns(baseline.cast(pl.Float64)).drop("H_YZ", "K_Y", "K_YZ")


def write_information(degeneracy_path, sources, seed, path):
    """The information table of one experiment from its degeneracy table and codes files;
    `seed` seeds the label permutations of the shuffled baseline."""
    table = information_table(read_degeneracy(degeneracy_path), scan_codes(sources), seed)
    write_table(table, path)


def max_relevance(M, h_z):
    """The largest relevance H(K) that a sample of M inputs can have at resolution H(Z) (a
    float or an array, 0 <= H(Z) <= log M), in nats: the maximal-relevance bound (Song,
    Marsili & Jo 2018; Cubero et al. 2019), never clamped.

    With q_k = k m(k) / M, H(Z) = log M - sum_k q_k log k is linear and H(K) = -sum_k q_k
    log q_k concave in m(k), so over real m(k) >= 0 with sum_k k m(k) = M the maximiser is
    the maximum-entropy family q_k ~ k^mu, k = 1..M: exact power laws m(k) ~ k^(mu-1) over
    all real mu (mu -> -inf: all singletons, H(Z) = log M; mu -> inf: one cluster, H(Z) = 0).
    A sample has integer m(k), so it also obeys H(K) <= log n_max: H(K) is an entropy over
    the occupied sizes, and n distinct sizes hold at least n(n+1)/2 inputs. The bound is the
    smaller of the two; both hold for every sample, neither is exact for integer m(k).
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


def _relaxed_relevance(log_k, log_rest, h_z):
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
