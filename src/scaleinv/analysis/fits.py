"""The fits table: for every (experiment, seed, epoch, layer, split) the statistics of its
cluster sizes (`scaleinv.stats.layer`: the CSN fit, its bootstrap p-value, the rivals,
effect sizes, tail indices, the occupancy law), beta refitted at the layer's common x_min
across seeds, M, distinct codes and H(Z), and the evidence class (`scaleinv.stats.ladder`).
Degenerate inputs get a status, not an error."""

import logging
from dataclasses import fields

import polars as pl

from scaleinv.analysis.degeneracy import read_degeneracy, sizes_of
from scaleinv.analysis.information import resolution_relevance
from scaleinv.codes.matching import DRAW
from scaleinv.plan.claims import RowFacts
from scaleinv.stats.ladder import LadderFacts, classify
from scaleinv.stats.layer import LayerFit, fit_layer, group_seed, occupancy_p
from scaleinv.stats.powerlaw_fit import fit
from scaleinv.tables import GROUP, read_frame, write_table, write_tsv

log = logging.getLogger(__name__)
_DTYPES = {  # a LayerFit field's type -> its column's
    float: pl.Float64,
    float | None: pl.Float64,
    int | None: pl.Int64,
    str: pl.String,
    str | None: pl.String,
    tuple[str, ...]: pl.List(pl.String),
}


def fit_row(key, sizes, settings, code="", threads=1):
    """The fits row of one group (`key`: its GROUP values, `sizes`: its cluster sizes)
    under FitSettings `settings`: the group's LayerFit (`scaleinv.stats.layer`), seeded by
    the group, with the group's key and how its codes were made."""
    layer = fit_layer(sizes, settings, group_seed(settings.seed, key), threads)
    return {**dict(zip(GROUP, key, strict=True)), "code": code, **layer.as_row()}


def with_evidence(frame):
    """`frame` (fits rows with M, distinct and H_Z) with the column `evidence`: each row's
    class on the ladder (`scaleinv.stats.ladder`)."""
    classes = [classify(LadderFacts.of(row)) for row in frame.iter_rows(named=True)]
    return frame.with_columns(pl.Series("evidence", classes, pl.String))


ROW_SCHEMA = {  # what fit_row gives: the key, how the codes were made, the LayerFit
    **dict(zip(GROUP, (pl.String, pl.Int32, pl.Int32, pl.String, pl.String), strict=True)),
    "code": pl.String,  # how activations became codes (Experiment.code_definition)
    **{field.name: _DTYPES[field.type] for field in fields(LayerFit)},
}
SCHEMA = {  # the table written: the rows, then what is computed over them
    **ROW_SCHEMA,
    "xmin_common": pl.Int64,  # the median x_min of the layer's seeds
    "beta_common": pl.Float64,  # beta refitted there
    "M": pl.Int64,  # samples, distinct codes and resolution (scaleinv.analysis.information)
    "distinct": pl.Int64,
    "H_Z": pl.Float64,
    "p_occupancy": pl.Float64,  # the occupancy law's bootstrap p (null: not needed, below)
    "evidence": pl.String,  # the ladder's class (scaleinv.stats.ladder)
}
# What a verdict reads of the experiment (plan.claims.RowFacts), the same in each of its
# rows: the claims read these typed columns, never `code`'s words or an id.
FACTS = {field.name: _DTYPES[field.type] for field in fields(RowFacts)}


def with_facts(frame, facts=None):
    """`frame` with the columns FACTS after its own: `facts` (RowFacts as params, from
    `plan.claims.row_facts`; None: a network's codes, no sweep) in every row."""
    facts = RowFacts.from_params(facts) if facts else RowFacts()
    return frame.with_columns(
        pl.Series(name, [getattr(facts, name)] * frame.height, dtype)
        for name, dtype in FACTS.items()
    )


COMMON = ["experiment", "epoch", "layer", "split"]  # a layer across seeds


def with_common_xmin(table, sizes, settings):
    """`table` with each layer's common x_min (the median of its seeds' x_min) and every
    seed's beta refitted there (`beta_common`), so that the seeds' betas describe one range
    of k and can be pooled; `sizes`: {group key: cluster sizes}."""
    medians = (
        table.filter(pl.col("status") == "ok")
        .group_by(COMMON, maintain_order=True)
        .agg(pl.col("xmin").median().floor().cast(pl.Int64).alias("xmin_common"))
    )
    table = table.join(medians, on=COMMON, how="left", maintain_order="left")
    betas = []
    for *key, xmin in table.select(*GROUP, "xmin_common").iter_rows():
        refit = (
            None if xmin is None else fit(sizes[tuple(key)], settings.min_tail, xmin, settings.xmax)
        )
        betas.append(None if refit is None else refit.alpha - 1)
    return table.with_columns(pl.Series("beta_common", betas, pl.Float64))


def fits_table(degeneracy_frame, settings, code="", threads=1, facts=None):
    """One row per group of a degeneracy frame under FitSettings `settings`; `code` says how
    the codes were made (in words, for a reader), `facts` what a verdict reads of the
    experiment (`with_facts`). A null's extra draws (z1.draw1, ...) are not fitted: the
    relevance table reads them, the ladder its first draw (named as the target's layer)."""
    degeneracy_frame = degeneracy_frame.filter(~pl.col("layer").str.contains(DRAW, literal=True))
    sizes = {
        key: sizes_of(group.sort("k"))
        for key, group in degeneracy_frame.group_by(GROUP, maintain_order=True)
    }
    rows = []
    for done, (key, group_sizes) in enumerate(sizes.items(), 1):
        rows.append(fit_row(key, group_sizes, settings, code, threads))
        outcome = rows[-1].get("verdict", rows[-1]["status"])
        log.info("%s (%d of %d groups): %s", "/".join(map(str, key)), done, len(sizes), outcome)
    table = with_common_xmin(pl.DataFrame(rows, schema=ROW_SCHEMA), sizes, settings)
    information = resolution_relevance(degeneracy_frame).select(*GROUP, "M", "distinct", "H_Z")
    table = table.join(information, on=GROUP, how="left", maintain_order="left")
    table = with_evidence(with_occupancy_p(table, sizes, settings, threads))
    return with_facts(table.select(list(SCHEMA)), facts)


def with_occupancy_p(table, sizes, settings, threads):
    """`table` with the occupancy law's bootstrap p-value (`p_occupancy`) of every fitted
    row of the training split: a test of the mechanism, beside the ladder, where the
    claims read it (a row of the test split costs as much, 50-200 ms a replicate, and
    informs nothing they decide: null there). `sizes`: {GROUP key: cluster sizes}."""
    p_values = []
    for row in table.iter_rows(named=True):
        key = tuple(row[name] for name in GROUP)
        if row["status"] != "ok" or row["split"] != "train":
            p_values.append(None)
            continue
        rng = group_seed(settings.seed, (*key, "occupancy"))  # apart from the CSN bootstrap's
        p_values.append(occupancy_p(sizes[key], settings, rng, threads))
    return table.with_columns(pl.Series("p_occupancy", p_values, pl.Float64))


def write_fits(degeneracy_path, settings, code, threads, path, facts=None):
    """The fits table of one experiment from its degeneracy table."""
    table = fits_table(read_degeneracy(degeneracy_path), settings, code, threads, facts)
    write_table(table, path)


SUMMARY_COLUMNS = [
    *GROUP,
    "code",
    "beta",
    "se",
    "xmin",
    "n_tail",
    "p_value",
    "tail_codes",
    "tail_samples",
    "decades",
    "beta_whole",
    "p_whole",
    "ols_slope",
    "d_ratio",
    "curvature",
    "verdict",
    "evidence",
    "status",
]


def write_summary(paths, out_path):
    """The fits tables of several experiments as one tab-separated table (for the report)."""
    table = pl.concat([read_frame(path, SUMMARY_COLUMNS) for path in paths])
    write_tsv(table.select(SUMMARY_COLUMNS), out_path)
