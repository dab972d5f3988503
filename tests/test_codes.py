"""The codes Parquet contract: bit packing, table layout, metadata, broken files."""

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scaleinv.codes import (
    Layer,
    distinct,
    integer_code,
    pack,
    read_layer,
    read_metadata,
    unpack,
    write_codes,
)
from scaleinv.errors import ScaleinvError


def test_pack_is_msb_first_and_round_trips():
    bits = np.array([[1, 0, 0, 0, 0, 0, 0, 1, 1], [0, 1, 0, 0, 0, 0, 0, 0, 0]], np.uint8)
    packed = pack(bits)
    assert packed.tolist() == [[0x81, 0x80], [0x40, 0x00]]
    np.testing.assert_array_equal(unpack(packed, 9), bits)
    random = np.random.default_rng(0).integers(0, 2, size=(50, 37), dtype=np.uint8)
    np.testing.assert_array_equal(unpack(pack(random), 37), random)


def test_integer_code_and_distinct():
    assert integer_code([5, 0, 2047], 11)[0].tolist() == [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]
    assert integer_code([2047], 11)[0].sum() == 11
    bits = np.array([[1, 0, 1], [1, 0, 1], [0, 0, 0], [1, 1, 1]], np.uint8)
    assert distinct(bits) == 3


def sample_layers():
    x = np.array([[1] * 10, [0] * 10, [1, 0] * 5], np.uint8)
    z = np.array([[1, 0, 1], [1, 0, 1], [0, 1, 1]], np.uint8)
    labels = np.array([3, 1, 2], np.uint8)
    return [
        Layer("train", "x", x, labels, "threshold", 0.5),
        Layer("train", "z1", z, labels, "threshold", 0.5),
        Layer("train", "z1u", z[:1], None, "threshold", 0.5),
    ]


def test_table_layout_and_metadata(tmp_path):
    write_codes(sample_layers(), {"experiment": "e", "epoch": 3}, tmp_path / "c.parquet")
    table = pq.read_table(tmp_path / "c.parquet")
    assert table.schema.field("code").type == pa.binary(2)  # padded to the widest layer (10 bits)
    assert table["sample"].type == pa.uint32() and table["label"].type == pa.int16()
    assert table["layer"].to_pylist() == ["x"] * 3 + ["z1"] * 3 + ["z1u"]
    assert table["label"].to_pylist() == [3, 1, 2, 3, 1, 2, None]
    assert table["code"].to_pylist()[3] == bytes([0b10100000, 0])
    meta = read_metadata(tmp_path / "c.parquet")
    assert meta["widths"] == {"x": 10, "z1": 3, "z1u": 3}
    assert meta["epoch"] == 3 and meta["binarization"]["z1"] == {
        "rule": "threshold",
        "threshold": 0.5,
    }


def test_same_codes_give_same_bytes(tmp_path):
    for name in ("a", "b"):
        write_codes(sample_layers(), {"experiment": "e"}, tmp_path / f"{name}.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_truncated_or_foreign_parquet_is_a_clear_error(tmp_path):
    write_codes(sample_layers(), {"experiment": "e"}, tmp_path / "c.parquet")
    blob = (tmp_path / "c.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(blob[: len(blob) // 2])
    with pytest.raises(
        ScaleinvError, match=r"cut.parquet is not a readable Parquet file .*; delete it and rerun"
    ):
        read_metadata(tmp_path / "cut.parquet")
    pq.write_table(pa.table({"sample": [1]}), tmp_path / "other.parquet")
    with pytest.raises(
        ScaleinvError,
        match=r"other.parquet is not a codes file \(missing split, label, layer, code\)",
    ):
        read_metadata(tmp_path / "other.parquet")


def test_read_layer_returns_one_layer_and_split(tmp_path):
    write_codes(sample_layers(), {"experiment": "e"}, tmp_path / "c.parquet")
    samples, bits = read_layer(tmp_path / "c.parquet", "z1", "train")
    assert samples.tolist() == [0, 1, 2]
    assert bits.tolist() == [[1, 0, 1], [1, 0, 1], [0, 1, 1]]
    with pytest.raises(ScaleinvError, match="has no layer 'z9'"):
        read_layer(tmp_path / "c.parquet", "z9", "train")


def test_a_code_column_narrower_than_its_widths_is_refused(tmp_path):
    """Read zero-padded, a too-narrow code column would silently merge distinct codes."""
    write_codes(sample_layers(), {"experiment": "e"}, tmp_path / "c.parquet")
    table = pq.read_table(tmp_path / "c.parquet")
    narrow = pa.array([code[:1] for code in table["code"].to_pylist()], pa.binary(1))
    pq.write_table(
        table.set_column(4, pa.field("code", pa.binary(1)), narrow), tmp_path / "n.parquet"
    )
    with pytest.raises(
        ScaleinvError,
        match=r"n.parquet: column code must be fixed-size binary of at least 2 bytes for its "
        r"widest layer \(x: 10 bits\); got fixed_size_binary\[1\]",
    ):
        read_metadata(tmp_path / "n.parquet")
