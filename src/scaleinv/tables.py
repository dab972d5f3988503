"""Parquet tables: pyarrow, zstd, written atomically; and the key every analysis table shares."""

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from scaleinv.atomic import atomic_path
from scaleinv.errors import ScaleinvError

# One distribution of codes per (experiment, seed, epoch, layer, split): the key of the
# degeneracy, information and fits tables.
GROUP = ["experiment", "seed", "epoch", "layer", "split"]


def last_hidden_layers(frame, by="experiment"):
    """The rows of hidden layers (not the input x), training split, at the last snapshot
    epoch of each `by` (experiment or sweep point): what claims and sweep figures judge."""
    frame = frame.filter(pl.col("layer") != "x", pl.col("split") == "train")
    return frame.filter(pl.col("epoch") == pl.col("epoch").max().over(by))


# The t-SNE embedding table of Fig. 2 (written by scaleinv.analysis.tsne, read by the figure).
EMBEDDING_COLUMNS = ["panel", "sample", "x", "y", "group"]


def write_table(table, path):
    """Write a pyarrow Table, a Polars DataFrame or a list of row dicts to `path` as zstd
    Parquet, atomically."""
    if hasattr(table, "to_arrow"):  # a Polars frame; tested by duck type so pyarrow suffices
        table = table.to_arrow()
    elif not isinstance(table, pa.Table):
        table = pa.Table.from_pylist(table)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def read_frame(path, columns):
    """A Parquet table as a Polars frame, checking it is readable and has `columns`: a
    truncated or foreign table is one clear error, not a traceback in a later rule."""
    try:
        frame = pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise ScaleinvError(
            f"{path} is not a readable Parquet file ({str(error).splitlines()[0]}); "
            "delete it and rerun"
        ) from None
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise ScaleinvError(f"{path} lacks the columns {', '.join(missing)}; delete it and rerun")
    return frame


def write_tsv(frame, path):
    """A Polars frame as a tab-separated table for people and the report: floats to 4
    decimals, nulls empty."""
    with atomic_path(path) as tmp:
        frame.with_columns(pl.col(pl.Float64).round(4)).write_csv(
            tmp, separator="\t", null_value=""
        )


def concat_tables(paths, path, tsv_path):
    """Concatenate Parquet files of one schema, in the order given, into a Parquet table
    and its TSV copy for the report."""
    table = pa.concat_tables([pq.read_table(p) for p in paths])
    write_table(table, path)
    write_tsv(pl.from_arrow(table), tsv_path)


def write_metrics_summary(sources, path):
    """The training metrics of every (experiment, seed) as one TSV. sources: iterable of
    (experiment, seed, metrics path); experiments of different kinds have different
    columns, so the frames are stacked diagonally."""
    frames = [
        read_frame(metrics, ["epoch"]).select(
            pl.lit(experiment).alias("experiment"), pl.lit(seed).alias("seed"), pl.all()
        )
        for experiment, seed, metrics in sources
    ]
    write_tsv(pl.concat(frames, how="diagonal"), path)
