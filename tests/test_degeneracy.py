"""Degeneracy m(k) against hand-counted cases."""

import polars as pl
import pytest

from scaleinv.analysis.degeneracy import degeneracy, sizes_of
from scaleinv.codes import scan_codes
from scaleinv.errors import ScaleinvError


def test_degeneracy_counts_cluster_sizes(codes_file):
    table = degeneracy(scan_codes([("toy", 0, 3, codes_file)]))
    train = table.filter(pl.col("split") == "train")
    assert train.select("k", "m").rows() == [(1, 1), (2, 1), (3, 1)]
    assert table.filter(pl.col("split") == "test").select("k", "m").rows() == [(2, 1)]
    assert train.columns == ["experiment", "seed", "epoch", "layer", "split", "k", "m"]
    assert train["epoch"].to_list() == [3, 3, 3]
    assert sorted(sizes_of(train)) == [1, 2, 3]


def test_a_file_that_is_not_a_codes_table_is_named(tmp_path):
    broken = tmp_path / "epoch1.parquet"
    broken.write_bytes(b"PAR1 truncated")
    with pytest.raises(ScaleinvError, match="epoch1.parquet is not a readable Parquet file"):
        scan_codes([("toy", 0, 1, broken)])
