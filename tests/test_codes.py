"""The codes Parquet contract: bit packing, table layout, metadata, broken files."""

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scaleinv.codes import (
    codes_table,
    distinct,
    integer_code,
    pack,
    read_layer,
    read_metadata,
    unpack,
    write_codes,
)
from scaleinv.embedding import group_ids
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
    rule = {"rule": "threshold", "threshold": 0.5}
    return [
        {"split": "train", "layer": "x", "bits": x, "labels": labels, "rule": rule},
        {"split": "train", "layer": "z1", "bits": z, "labels": labels, "rule": rule},
        {"split": "train", "layer": "z1u", "bits": z[:1], "labels": None, "rule": rule},
    ]


def test_table_layout_and_metadata(tmp_path):
    write_codes(
        codes_table(sample_layers(), {"experiment": "e", "epoch": 3}), tmp_path / "c.parquet"
    )
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
        write_codes(codes_table(sample_layers(), {"experiment": "e"}), tmp_path / f"{name}.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_truncated_or_foreign_parquet_is_a_clear_error(tmp_path):
    write_codes(codes_table(sample_layers(), {"experiment": "e"}), tmp_path / "c.parquet")
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
    write_codes(codes_table(sample_layers(), {"experiment": "e"}), tmp_path / "c.parquet")
    samples, bits = read_layer(tmp_path / "c.parquet", "z1", "train")
    assert samples.tolist() == [0, 1, 2]
    assert bits.tolist() == [[1, 0, 1], [1, 0, 1], [0, 1, 1]]
    with pytest.raises(ScaleinvError, match="has no layer 'z9'"):
        read_layer(tmp_path / "c.parquet", "z9", "train")


def test_group_ids_rank_codes_by_frequency():
    bits = np.array([[0, 1], [1, 0], [1, 0], [0, 0], [1, 0], [0, 1]], np.uint8)
    assert group_ids(bits).tolist() == [1, 0, 0, 2, 0, 1]
