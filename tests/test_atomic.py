"""Outputs appear whole or not at all, and the same arrays give the same bytes."""

import errno
import os

import numpy as np
import pytest

from scaleinv.atomic import atomic_path, save_npz
from scaleinv.errors import ScaleinvError


def test_save_npz_round_trips_and_is_byte_identical(tmp_path):
    arrays = {
        "x_train": np.arange(12, dtype=np.uint8).reshape(3, 4),
        "y_train": np.array([1, 2, 3], np.uint8),
    }
    save_npz(tmp_path / "a.npz", arrays)
    save_npz(tmp_path / "b.npz", arrays)
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    with np.load(tmp_path / "a.npz") as loaded:
        for name, array in arrays.items():
            np.testing.assert_array_equal(loaded[name], array)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npz", "b.npz"]


def test_failed_write_leaves_no_file(tmp_path):
    target = tmp_path / "out" / "data.npz"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("interrupted")
    assert list((tmp_path / "out").iterdir()) == []


def test_leftovers_of_a_killed_writer_go_with_the_next_write(tmp_path):
    (tmp_path / ".data.npz.0123456789ab.tmp").write_bytes(b"half")
    (tmp_path / ".other.npz.0123456789ab.tmp").write_bytes(b"not ours")
    save_npz(tmp_path / "data.npz", {"x": np.zeros(2)})
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".other.npz.0123456789ab.tmp",
        "data.npz",
    ]


def test_a_full_disk_is_one_clear_error_and_leaves_nothing(tmp_path):
    with pytest.raises(
        ScaleinvError,
        match=r"no space left to write .*out.bin \(No space left on device\); free some and rerun",
    ):
        with atomic_path(tmp_path / "out.bin") as tmp:
            tmp.write_bytes(b"partial")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert list(tmp_path.iterdir()) == []
