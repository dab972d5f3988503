"""Parquet tables: pyarrow, zstd, written atomically; and the key every analysis table shares."""

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from scaleinv.atomic import atomic_path
from scaleinv.errors import ScaleinvError

# One distribution of codes per (experiment, seed, epoch, layer, split): the key of the
# degeneracy, information and fits tables.
GROUP = ["experiment", "seed", "epoch", "layer", "split"]


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


def concat_tables(paths, path):
    """Concatenate Parquet files of one schema, in the order given."""
    write_table(pa.concat_tables([pq.read_table(p) for p in paths]), path)
