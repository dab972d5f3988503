"""Relevance beside matched nulls (issue 33): `results/relevance.tsv`, one row per (network
experiment, hidden layer, matched null), from the information tables.

The question: at the same M, distinct count and H(Z), does a trained layer have more
relevance H(K) (paper Eq. 5) than codes made without learning? Each seed's network layer
is paired with the same seed's null (its target's codes of that seed are what the null
was matched to); a null with several draws (z1, z1.draw1, ...; `codes.matching.draw_name`)
enters as the mean of its draws. Per layer and null:

    delta_s = H_K(network, seed s) - mean over draws H_K(null, seed s, draw)    (nats)

`delta_H_K` is the mean of delta_s over the seeds both have, `delta_low`/`delta_high` its
95 % t interval over seeds and `p_paired` the paired t-test (a one-sample t-test of
delta_s against 0; Student 1908). With one seed there is neither: both stay empty and
`note` says so. H(Z) and the distinct count of both sides are given beside it, with the
share of null draws within the match tolerance (`matched`): a delta between codes of
different resolutions measures the resolutions, not learning.

Read at the network's last snapshot, training split (what the nulls are matched to).
"""

import numpy as np
import polars as pl
from scipy import stats

from scaleinv.codes.matching import ENTROPY_TOLERANCE, base_layer, within_tolerance
from scaleinv.plan.experiments import UNMATCHED
from scaleinv.tables import last_hidden_layers, read_frame, write_tsv

CONFIDENCE = 0.95
INFORMATION_COLUMNS = ["experiment", "seed", "epoch", "layer", "split", "M", "distinct",
                       "H_Z", "H_K"]  # fmt: skip
SCHEMA = {
    "experiment": pl.String,  # the network
    "layer": pl.String,
    "null": pl.String,  # the null experiment
    "family": pl.String,  # its kind
    "match": pl.String,  # what it matches: distinct, entropy or both
    "seeds": pl.Int64,  # seeds paired
    "draws": pl.Int64,  # null draws per seed (the fewest any seed has)
    "M": pl.Int64,
    "H_Z_network": pl.Float64,  # means over seeds (the null's over its draws first)
    "H_Z_null": pl.Float64,
    "distinct_network": pl.Float64,
    "distinct_null": pl.Float64,
    "H_K_network": pl.Float64,
    "H_K_null": pl.Float64,
    "delta_H_K": pl.Float64,  # network - null, nats, mean over seeds
    "delta_low": pl.Float64,  # its 95 % t interval over seeds (empty: one seed)
    "delta_high": pl.Float64,
    "p_paired": pl.Float64,  # paired t-test over seeds (empty: one seed)
    "matched": pl.Float64,  # share of null draws within tolerance in distinct and H(Z)
    "note": pl.String,
}


def paired(deltas):
    """(mean, low, high, p) of seed-paired differences: the t interval and the paired
    t-test of their mean against 0; NaN but the mean with fewer than two seeds. Equal
    differences have no spread: their interval is the point and p is 0 (1 where all
    are 0)."""
    deltas = np.asarray(deltas, float)
    mean = float(deltas.mean())
    if len(deltas) < 2:
        return mean, np.nan, np.nan, np.nan
    spread = deltas.std(ddof=1)
    if spread == 0:
        return mean, mean, mean, float(mean == 0)
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, len(deltas) - 1) * spread / np.sqrt(len(deltas))
    p = stats.ttest_1samp(deltas, 0.0).pvalue
    return mean, mean - half, mean + half, float(p)


def _close(null, network):
    """Whether a null draw is within the match tolerance of its network layer, in both the
    distinct count and H(Z) (what `match: both` asks; `codes.matching`)."""
    return within_tolerance(null["distinct"], network["distinct"]) and (
        abs(null["H_Z"] - network["H_Z"]) <= ENTROPY_TOLERANCE
    )


def layer_row(target, layer, null, kind, match, network, draws):
    """One row: `network` the target layer's rows by seed, `draws` the null's same layer's
    rows (every draw) by seed; both frames with seed, M, distinct, H_Z, H_K."""
    by_seed = {seed: frame for (seed,), frame in draws.partition_by("seed", as_dict=True).items()}
    pairs = [(row, by_seed[row["seed"]]) for row in network.iter_rows(named=True)
             if row["seed"] in by_seed]  # fmt: skip
    if not pairs:
        return None
    deltas = [row["H_K"] - frame["H_K"].mean() for row, frame in pairs]
    delta, low, high, p = paired(deltas)
    close = [_close(other, row) for row, frame in pairs for other in frame.iter_rows(named=True)]
    return {
        "experiment": target, "layer": layer, "null": null, "family": kind, "match": match,
        "seeds": len(pairs), "draws": min(frame.height for _, frame in pairs),
        "M": int(np.median([row["M"] for row, _ in pairs])),
        "H_Z_network": float(np.mean([row["H_Z"] for row, _ in pairs])),
        "H_Z_null": float(np.mean([frame["H_Z"].mean() for _, frame in pairs])),
        "distinct_network": float(np.mean([row["distinct"] for row, _ in pairs])),
        "distinct_null": float(np.mean([frame["distinct"].mean() for _, frame in pairs])),
        "H_K_network": float(np.mean([row["H_K"] for row, _ in pairs])),
        "H_K_null": float(np.mean([frame["H_K"].mean() for _, frame in pairs])),
        "delta_H_K": delta, "delta_low": low, "delta_high": high, "p_paired": p,
        "matched": float(np.mean(close)),
        "note": "1 seed: no interval or test" if len(pairs) < 2 else "",
    }  # fmt: skip


def relevance_table(information, nulls):
    """The relevance rows (SCHEMA) of information rows of every network and null
    (`information`: the columns INFORMATION_COLUMNS); nulls: {target id: {null id: [kind,
    match]}} (`plan.experiments.matched_nulls`). Nulls not tuned to their target
    (unmatched) are left out: their M differs."""
    rows = []
    for target, members in sorted(nulls.items()):
        network = last_hidden_layers(information.filter(pl.col("experiment") == target))
        for null, (kind, match) in sorted(members.items()):
            if match == UNMATCHED:
                continue
            theirs = information.filter(pl.col("experiment") == null, pl.col("split") == "train",
                                        pl.col("layer") != "x")  # fmt: skip
            theirs = theirs.filter(pl.col("epoch") == pl.col("epoch").max())
            theirs = theirs.with_columns(
                pl.col("layer").map_elements(base_layer, pl.String).alias("base")
            )
            for layer in sorted(set(network["layer"])):
                row = layer_row(
                    target, layer, null, kind, match,
                    network.filter(pl.col("layer") == layer).sort("seed"),
                    theirs.filter(pl.col("base") == layer).sort("seed", "layer"),
                )  # fmt: skip
                if row:
                    rows.append(row)
    # NaN (no interval or test with one seed) is written as an empty field, not "NaN"
    return pl.DataFrame(rows, schema=SCHEMA).fill_nan(None)


def write_relevance(information_paths, nulls, path):
    """results/relevance.tsv from the information tables of every network with nulls and
    of those nulls."""
    information = pl.concat(
        [read_frame(p, INFORMATION_COLUMNS).select(INFORMATION_COLUMNS) for p in information_paths]
    )
    write_tsv(relevance_table(information, nulls), path)
