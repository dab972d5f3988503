"""Parquet tables: written atomically from any table type, read back only when whole."""

import polars as pl
import pyarrow as pa
import pytest

from scaleinv.errors import ScaleinvError
from scaleinv.tables import read_frame, write_table


def test_arrow_polars_and_rows_give_the_same_file(tmp_path):
    rows = [{"k": 1, "m": 5}, {"k": 2, "m": 1}]
    write_table(rows, tmp_path / "rows.parquet")
    write_table(pa.Table.from_pylist(rows), tmp_path / "arrow.parquet")
    write_table(pl.DataFrame(rows), tmp_path / "polars.parquet")
    blobs = {(tmp_path / f"{n}.parquet").read_bytes() for n in ("rows", "arrow", "polars")}
    assert len(blobs) == 1
    assert read_frame(tmp_path / "rows.parquet", ["k", "m"]).rows() == [(1, 5), (2, 1)]


def test_a_truncated_or_foreign_table_is_a_clear_error(tmp_path):
    write_table([{"k": 1, "m": 5}] * 100, tmp_path / "t.parquet")
    blob = (tmp_path / "t.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(blob[: len(blob) // 2])
    with pytest.raises(
        ScaleinvError, match=r"cut.parquet is not a readable Parquet file .*; delete it and rerun"
    ):
        read_frame(tmp_path / "cut.parquet", ["k"])
    with pytest.raises(
        ScaleinvError, match=r"t.parquet lacks the columns layer, split; delete it and rerun"
    ):
        read_frame(tmp_path / "t.parquet", ["k", "layer", "split"])
