"""Information measures of a layer's codes (paper Sec. III), in nats.

Resolution H(Z) and relevance H(K) depend on m(k) only; the mutual information with the
labels, I(Z;Y) = H(Y) + H(Z) - H(Y,Z), needs the joint counts of (code, label).

The plug-in I(Z;Y) is biased upwards when codes are nearly unique: with one sample per
code it equals H(Y) whatever the network learned. Beside it stand the Miller-Madow
correction and I(Z;Y_shuffled), the plug-in estimate with the labels permuted (seeded),
which is pure bias: what is left of I_ZY above it is information the codes carry.
"""

import numpy as np
import polars as pl

from scaleinv.analysis.degeneracy import read_degeneracy
from scaleinv.codes import scan_codes
from scaleinv.stats.frontier import relevance_max
from scaleinv.stats.layer import group_seed
from scaleinv.tables import GROUP, write_table


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


def with_frontier(table):
    """`table` (M and H_Z per row) with the maximal-relevance frontier there
    (`scaleinv.stats.frontier`): `relevance_max`, the largest H(K) any sample of M inputs
    reaches at that H(Z) (to within 1.3e-3 nats at M = 60,000), and `beta_frontier`, minus
    the frontier's slope dH(K)/dH(Z): the beta of m(k) ~ k^(-beta-1) that a maximally
    relevant sample has at that resolution (paper Sec. III, Eqs. 6-7; -1 on the diagonal's
    stretch, where each size is held by one code: m(k) ~ k^0)."""
    M, h_z = table["M"].to_numpy(), table["H_Z"].to_numpy()
    value, beta = np.full(len(M), np.nan), np.full(len(M), np.nan)
    for size in np.unique(M):
        rows = np.flatnonzero(M == size)
        frontier = relevance_max(int(size), np.clip(h_z[rows], 0.0, np.log(size)))
        value[rows], beta[rows] = frontier.value, -frontier.slope
    return table.with_columns(pl.Series("relevance_max", value), pl.Series("beta_frontier", beta))


def information_table(degeneracy_frame, codes, seed=0):
    """One row per group: M, distinct, H_Z, H_K, the maximal-relevance frontier at its M and
    H_Z (`with_frontier`), H_Y and I(Z;Y) (Eq. 10) as plug-in I_ZY, Miller-Madow I_ZY_mm and
    the shuffled-label baseline I_ZY_shuffled (null without labels).

    Miller-Madow adds (K - 1) / 2M to each entropy of K occupied bins, so
    I_ZY_mm = I_ZY + (K_Y + K_Z - K_YZ - 1) / 2M."""
    table = with_frontier(resolution_relevance(degeneracy_frame)).join(
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
