"""Snapshots: byte-reproducible, and nothing but this workflow's tensors is ever loaded."""

import pytest
import torch

from scaleinv.errors import ScaleinvError
from scaleinv.learn.models.autoencoder import Autoencoder
from scaleinv.learn.models.mlp import MLPClassifier
from scaleinv.learn.snapshots import load_snapshot, save_snapshot


class Payload:
    """What a malicious snapshot would carry: unpickling it runs code."""

    def __reduce__(self):
        return (print, ("unpickled a payload",))


def mlp():
    torch.manual_seed(0)
    return MLPClassifier(64, [20, 10], 10, "sigmoid")


def test_snapshots_round_trip_and_are_byte_identical(tmp_path):
    save_snapshot(mlp().state_dict(), tmp_path / "a.pt")
    save_snapshot(mlp().state_dict(), tmp_path / "b.pt")
    assert (tmp_path / "a.pt").read_bytes() == (tmp_path / "b.pt").read_bytes()
    other = MLPClassifier(64, [20, 10], 10, "sigmoid")
    load_snapshot(other, tmp_path / "a.pt")
    assert all(
        torch.equal(a, b) for a, b in zip(mlp().parameters(), other.parameters(), strict=True)
    )


def test_a_pickle_payload_is_refused_without_suggesting_to_allow_it(tmp_path, capsys):
    torch.save({"weight": torch.zeros(1), "extra": Payload()}, tmp_path / "evil.pt")
    with pytest.raises(ScaleinvError) as error:
        load_snapshot(mlp(), tmp_path / "evil.pt")
    assert str(error.value) == (
        f"{tmp_path / 'evil.pt'} holds objects other than tensors, which are never unpickled "
        "here; delete it and rerun"
    )
    assert "unpickled a payload" not in capsys.readouterr().out


def test_another_architectures_weights_are_a_clear_error(tmp_path):
    save_snapshot(Autoencoder(64, [16, 8, 16], "sigmoid").state_dict(), tmp_path / "ae.pt")
    with pytest.raises(ScaleinvError, match=r"ae.pt holds the weights of another architecture"):
        load_snapshot(mlp(), tmp_path / "ae.pt")


def test_a_truncated_snapshot_is_a_clear_error(tmp_path):
    save_snapshot(mlp().state_dict(), tmp_path / "a.pt")
    blob = (tmp_path / "a.pt").read_bytes()
    (tmp_path / "cut.pt").write_bytes(blob[: len(blob) // 2])
    with pytest.raises(ScaleinvError, match=r"cut.pt is not a readable snapshot .*; delete it"):
        load_snapshot(mlp(), tmp_path / "cut.pt")
