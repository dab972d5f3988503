"""Parquet tables: pyarrow, zstd, written atomically."""

import pyarrow as pa
import pyarrow.parquet as pq

from scaleinv.atomic import atomic_path


def write_table(table, path):
    """Write a pyarrow Table (or a list of row dicts) to `path` as zstd Parquet, atomically."""
    if not isinstance(table, pa.Table):
        table = pa.Table.from_pylist(table)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def concat_tables(paths, path):
    """Concatenate Parquet files of one schema, in the order given."""
    write_table(pa.concat_tables([pq.read_table(p) for p in paths]), path)
