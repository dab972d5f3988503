"""Information measures of a layer's codes (paper Sec. III), in nats.

Resolution H(Z) and relevance H(K) depend on m(k) only; the mutual information with the
labels, I(Z;Y) = H(Y) + H(Z) - H(Y,Z), needs the joint counts of (code, label).
"""

import numpy as np
import polars as pl

from scaleinv.codes import scan_codes
from scaleinv.degeneracy import read_degeneracy
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
    """Per labelled group: H(Y) and H(Y,Z) from a stacked codes frame (lazy, streamed)."""
    labelled = codes.filter(pl.col("label").is_not_null())
    joint = labelled.group_by([*GROUP, "code", "label"]).agg(pl.len().cast(pl.Float64).alias("n"))
    marginal = labelled.group_by([*GROUP, "label"]).agg(pl.len().cast(pl.Float64).alias("n"))
    h_yz = joint.group_by(GROUP).agg(_entropy(pl.col("n")).alias("H_YZ"))
    h_y = marginal.group_by(GROUP).agg(_entropy(pl.col("n")).alias("H_Y"))
    return h_y.join(h_yz, on=GROUP).collect(engine="streaming")


def information_table(degeneracy_frame, codes):
    """One row per group: M, distinct, H_Z, H_K, H_Y and I_ZY (Eq. 10; null without labels)."""
    table = resolution_relevance(degeneracy_frame).join(
        label_entropies(codes), on=GROUP, how="left"
    )
    return table.with_columns((pl.col("H_Y") + pl.col("H_Z") - pl.col("H_YZ")).alias("I_ZY")).drop(
        "H_YZ"
    )


def write_information(degeneracy_path, sources, path):
    """The information table of one experiment from its degeneracy table and codes files."""
    table = information_table(read_degeneracy(degeneracy_path), scan_codes(sources))
    write_table(table, path)


def power_law_curve(M, betas):
    """(H(Z), H(K)) of exact power laws m(k) = M k^(-beta-1) / sum_k' k'^(-beta) for
    k = 1..k_max, one row per beta: the paper's maximum-relevance family (Eq. 7).

    k_max is the largest size at which the law still assigns at least one code, m(k_max) >= 1:
    a sample of M inputs has no fractional codes, and without the cut H(K) would approach
    log M, which no sample can reach.
    """
    k = np.arange(1, M + 1, dtype=np.float64)
    log_k = np.log(k)
    points = []
    for beta in betas:
        normaliser = np.cumsum(k**-beta)  # sum_{k' <= k_max} k'^-beta for every k_max
        k_max = np.flatnonzero(M * k ** (-beta - 1) >= normaliser)[-1] + 1
        # p(k) = k m(k) / M over 1..k_max
        p = k[:k_max] ** -beta / normaliser[k_max - 1]
        h_k = -np.sum(p * np.log(p))  # Eq. (5)
        h_z = np.log(M) - np.sum(p * log_k[:k_max])  # Eq. (4)
        points.append((h_z, h_k))
    return np.array(points)
