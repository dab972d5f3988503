"""Comparative verdicts (issue 26): each network layer's class and effect sizes beside
those of its matched nulls, which code the same inputs at the same resolution (distinct
codes or H(Z) at the same M) without what the network learned. A verdict means something
only where the nulls' differ: "weak in 3/3" beside a random projection that is also weak
says the class comes with the resolution, not with learning.

Read per layer at each experiment's last snapshot, training split, over seeds; the
scaling tables (results/scaling/{experiment}.tsv: Heaps' exponent h and the occupancy pair
test of (h, beta), `p_occupancy_pair`), where given, add h and that p beside the class.
"""

import numpy as np
import polars as pl
from scipy import stats

from scaleinv.analysis.sweep_table import CONFIDENCE
from scaleinv.codes.matching import within_tolerance
from scaleinv.errors import ScaleinvError
from scaleinv.stats.ladder import consensus, holding
from scaleinv.tables import GROUP, last_hidden_layers, read_frame, write_tsv

# What the comparison reads of the fits tables.
FIT_COLUMNS = [*GROUP, "beta", "curvature", "curvature_low", "curvature_high", "decades",
               "distinct", "H_Z", "evidence", "status", "control", "match"]  # fmt: skip
# ... and of a scaling table (results/scaling/{experiment}.tsv, which has no experiment).
SCALING_COLUMNS = ["seed", "epoch", "layer", "split", "heaps", "heaps_low", "heaps_high",
                   "consistency", "p_occupancy_pair"]  # fmt: skip
NETWORK = "network"  # the role of the layer the nulls are matched to
# how each null is named beside its target, by what it matches (plan.experiments)
MATCH_WORDS = {
    "distinct": "at the same distinct count",
    "entropy": "at the same H(Z)",
    "both": "at the same distinct count and H(Z)",
    "unmatched": "(not matched)",
}
# the summary column each match tunes, its name in words and its number format
MATCHED_BY = {
    "distinct": ("distinct", "distinct codes", "{:.0f}"),
    "entropy": ("H_Z", "H(Z)", "{:.2f}"),
    "both": ("H_Z", "H(Z)", "{:.2f}"),  # the distinct count is reached wherever H(Z) is
}


def interval(values, lows, highs):
    """(mean, low, high) over seeds: a t interval of the seeds' values, or one seed's own
    interval; NaN when no seed has a value."""
    keep = ~np.isnan(np.asarray(values, float))
    values, lows, highs = (np.asarray(a, float)[keep] for a in (values, lows, highs))
    if len(values) == 0:
        return (np.nan,) * 3
    if len(values) == 1:
        return float(values[0]), float(lows[0]), float(highs[0])
    mean = float(values.mean())
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, len(values) - 1) * values.std(ddof=1)
    half /= np.sqrt(len(values))
    return mean, mean - half, mean + half


def summary(seeds, scaling=None):
    """One layer over its seeds (fits rows of one experiment and layer), with the scaling
    rows of the same layer where given: class held by most seeds and in how many, the
    curvature with its interval, decades, beta, distinct codes, H(Z), Heaps' h, beta - h
    and the occupancy pair test's p (median over seeds)."""
    classes = seeds["evidence"].to_list()
    evidence = consensus(classes)
    fitted = seeds.filter(pl.col("status") == "ok")
    curvature = interval(fitted["curvature"], fitted["curvature_low"], fitted["curvature_high"])
    row = {
        "seeds": seeds.height,
        "evidence": evidence,
        "held": holding(classes, evidence),
        "curvature": curvature[0],
        "curvature_low": curvature[1],
        "curvature_high": curvature[2],
        "decades": float(fitted["decades"].median()) if fitted.height else np.nan,
        "beta": float(fitted["beta"].mean()) if fitted.height else np.nan,
        "distinct": int(seeds["distinct"].median()),
        "H_Z": float(seeds["H_Z"].mean()),
    }
    heaps = (np.nan,) * 3
    consistency = pair = np.nan
    if scaling is not None and scaling.height:
        heaps = interval(scaling["heaps"], scaling["heaps_low"], scaling["heaps_high"])
        consistency = float(scaling["consistency"].mean())
        tested = scaling["p_occupancy_pair"].drop_nulls().drop_nans()
        pair = float(tested.median()) if tested.len() else np.nan
    return {**row, "heaps": heaps[0], "heaps_low": heaps[1], "heaps_high": heaps[2],
            "consistency": consistency, "p_occupancy_pair": pair}  # fmt: skip


def brief(row):
    """A layer's summary in words: `weak in 3/3, curvature -0.04 [-0.06, -0.02] over 2.6
    decades, 3010 distinct codes, Heaps h = 0.64 [0.61, 0.67] vs beta 0.88 (occupancy pair
    p = 0.005)`; the Heaps part only where a scaling table gave it. beta - h decides nothing:
    a scale-free code's pair is off the diagonal at finite M (docs/scaling.md)."""
    words = f"{row['evidence']} in {row['held']}/{row['seeds']}"
    if not np.isnan(row["curvature"]):
        words += (
            f", curvature {row['curvature']:.2f} [{row['curvature_low']:.2f}, "
            f"{row['curvature_high']:.2f}] over {row['decades']:.1f} decades"
        )
    words += f", {row['distinct']} distinct code" + ("" if row["distinct"] == 1 else "s")
    if not np.isnan(row["heaps"]):
        pair = row.get("p_occupancy_pair", np.nan)
        reading = "no occupancy pair test" if np.isnan(pair) else f"occupancy pair p = {pair:.2g}"
        words += (
            f", Heaps h = {row['heaps']:.2f} [{row['heaps_low']:.2f}, {row['heaps_high']:.2f}]"
            f" vs beta {row['beta']:.2f} ({reading})"
        )
    return words


def beside_nulls(name, row, null_rows):
    """`mlp z2: weak in 3/3, ...; random_projection at the same distinct: none in 3/3, ...`;
    null_rows: (kind, what it matches, summary) of each matched null's same layer."""
    words = [f"{name}: {brief(row)}"]
    words += [f"{kind} {match_words(match, row, other)}: {brief(other)}"
              for kind, match, other in null_rows]  # fmt: skip
    return "; ".join(words)


def match_words(match, row, other):
    """How a null is matched to its network layer, in words; where it fell short of the
    match tolerance (the shuffled-input null cannot make more distinct codes than the
    network gives shuffled images), what it reached instead."""
    column, name, number = MATCHED_BY.get(match, (None, None, None))
    reached, wanted = (np.nan, np.nan) if column is None else (other[column], row[column])
    if np.isnan(reached) or np.isnan(wanted) or within_tolerance(reached, wanted):
        return MATCH_WORDS[match]
    return f"short of the same {name} ({number.format(reached)} against {number.format(wanted)})"


def comparison_table(fits, nulls, scaling=None):
    """One row per (network experiment, hidden layer, role): the layer itself (role
    `network`), then each matched null's same layer (role: the null's kind), with its
    typed facts `control` and `match` (as its fits rows carry them), the summary columns
    and, on the network's row, the comparison in words. fits: the fits
    rows of every experiment; nulls: {target id: {null id: (kind, match)}}; scaling:
    {experiment id: its scaling frame} (optional)."""
    scaling = scaling or {}
    fits = last_hidden_layers(fits)
    matched = {null for members in nulls.values() for null in members}
    rows = []
    for experiment in sorted(set(fits["experiment"]) - matched):
        for layer in sorted(set(fits.filter(pl.col("experiment") == experiment)["layer"])):
            own = layer_summary(fits, experiment, layer, scaling)
            others = []
            for null, (kind, match) in nulls.get(experiment, {}).items():
                other = layer_summary(fits, null, layer, scaling)
                if other is not None:
                    others.append((null, kind, match, {**other, **facts(fits, null)}))
            sentence = beside_nulls(
                f"{experiment} {layer}", own, [(k, m, o) for _, k, m, o in others]
            )
            rows.append({"target": experiment, "layer": layer, "experiment": experiment,
                         "role": NETWORK, **facts(fits, experiment), **own,
                         "comparison": sentence})  # fmt: skip
            rows += [
                {"target": experiment, "layer": layer, "experiment": null, "role": kind,
                 **other, "comparison": None}
                for null, kind, _, other in others
            ]  # fmt: skip
    return pl.DataFrame(rows, schema=COMPARISON_SCHEMA).fill_nan(None)  # empty in the TSV


COMPARISON_SCHEMA = {
    "target": pl.String, "layer": pl.String, "experiment": pl.String, "role": pl.String,
    "control": pl.String, "match": pl.String,  # the experiment's typed facts (fits.FACTS)
    "seeds": pl.Int64, "evidence": pl.String, "held": pl.Int64,
    "curvature": pl.Float64, "curvature_low": pl.Float64, "curvature_high": pl.Float64,
    "decades": pl.Float64, "beta": pl.Float64, "distinct": pl.Int64, "H_Z": pl.Float64,
    "heaps": pl.Float64, "heaps_low": pl.Float64, "heaps_high": pl.Float64,
    "consistency": pl.Float64, "p_occupancy_pair": pl.Float64, "comparison": pl.String,
}  # fmt: skip


def facts(fits, experiment):
    """The typed facts of an experiment's rows that the comparison carries: `control` (none,
    or a null's kind) and `match` (a null's; null for a network)."""
    row = fits.filter(pl.col("experiment") == experiment).row(0, named=True)
    return {"control": row["control"], "match": row["match"]}


def layer_summary(fits, experiment, layer, scaling):
    """`summary` of one experiment's layer (fits already at the last snapshot, training
    split), with its scaling rows at the same epoch; None when the fits lack it."""
    seeds = fits.filter(pl.col("experiment") == experiment, pl.col("layer") == layer)
    if seeds.height == 0:
        return None
    table = scaling.get(experiment)
    if table is not None:
        table = table.filter(
            pl.col("layer") == layer,
            pl.col("split") == "train",
            pl.col("epoch") == seeds["epoch"][0],
        )
    return summary(seeds.sort("seed"), table)


def write_comparison(fits_paths, nulls, scaling_paths, path):
    """results/fits/comparison.tsv from the fits tables; nulls: {target id: {null id:
    [kind, match]}}; scaling_paths: {experiment id: its scaling TSV} (those that exist)."""
    fits = pl.concat([read_frame(p, FIT_COLUMNS).select(FIT_COLUMNS) for p in fits_paths])
    scaling = {id: read_scaling(p) for id, p in scaling_paths.items()}
    nulls = {t: {n: tuple(v) for n, v in members.items()} for t, members in nulls.items()}
    write_tsv(comparison_table(fits, nulls, scaling), path)


def read_scaling(path):
    """A scaling TSV (another stage's output) with the columns the comparison reads."""
    frame = pl.read_csv(path, separator="\t", infer_schema_length=None)
    missing = [name for name in SCALING_COLUMNS if name not in frame.columns]
    if missing:
        raise ScaleinvError(f"{path} lacks the columns {', '.join(missing)}; delete it and rerun")
    return frame.select(SCALING_COLUMNS).with_columns(
        pl.col("heaps", "heaps_low", "heaps_high", "consistency", "p_occupancy_pair").cast(
            pl.Float64
        ),
        pl.col("seed", "epoch").cast(pl.Int32),
    )
