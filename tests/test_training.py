"""The trainer on small real data (scikit-learn's digits): learning, determinism, errors."""

import pyarrow.parquet as pq
import pytest
import torch

from conftest import tiny_experiments
from scaleinv.errors import ScaleinvError
from scaleinv.learn.training import resolve_device, train_experiment


@pytest.mark.slow
def test_mlp_learns_digits_and_is_deterministic(tmp_path, digits_npz):
    mlp = tiny_experiments(lambda c: c["experiments"]["mlp"].update(epochs=30, snapshots=[0, 30]))[
        "mlp"
    ]
    for run in ("a", "b"):
        snapshots = [tmp_path / f"{run}0.pt", tmp_path / f"{run}30.pt"]
        train_experiment(
            mlp,
            seeds=[0],
            threads=2,
            dataset_path=digits_npz,
            snapshot_paths=snapshots,
            metrics_paths=[tmp_path / f"{run}.parquet"],
        )
    a, b = (torch.load(tmp_path / f"{r}30.pt", weights_only=True) for r in ("a", "b"))
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    metrics = pq.read_table(tmp_path / "a.parquet").to_pylist()
    assert [row["epoch"] for row in metrics] == list(range(1, 31))
    assert (
        metrics[-1]["test_accuracy"] > 0.85 and metrics[-1]["train_loss"] < metrics[0]["train_loss"]
    )
    untrained = torch.load(tmp_path / "a0.pt", weights_only=True)
    assert not torch.equal(untrained["output.weight"], a["output.weight"])


def test_nan_loss_fails_clearly_and_leaves_no_checkpoint(tmp_path, digits_npz):
    ae = tiny_experiments(lambda c: c["experiments"]["ae"].update(lr=1e30))["ae"]
    with pytest.raises(
        ScaleinvError,
        match=r"experiments.ae: the training loss became nan in epoch 1 \(seed 0\); lower experiments.ae.lr \(got 1e\+30\)",
    ):
        train_experiment(
            ae,
            seeds=[0],
            threads=2,
            dataset_path=digits_npz,
            snapshot_paths=[tmp_path / "epoch2.pt"],
            metrics_paths=[tmp_path / "metrics.parquet"],
        )
    assert list(tmp_path.iterdir()) == []


def test_cuda_requested_without_gpu_is_a_clear_error():
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(
        ScaleinvError,
        match="experiments.mlp.device is cuda, but no CUDA device is available here; use auto or cpu",
    ):
        resolve_device("cuda", "experiments.mlp.device")
    assert resolve_device("auto", "k") == torch.device("cpu")


def test_a_long_epoch_logs_the_share_of_its_batches_done(tmp_path, digits_npz, monkeypatch, caplog):
    """With the interval at 0 every batch is 'long enough': the lines count the batches done,
    in order, with their share, and so each one a user sees names how far the epoch is."""
    monkeypatch.setattr("scaleinv.learn.training.PROGRESS_SECONDS", 0)
    mlp = tiny_experiments(lambda c: c["experiments"]["mlp"].update(epochs=1, snapshots=[1]))["mlp"]
    with caplog.at_level("INFO", logger="scaleinv.learn.training"):
        train_experiment(
            mlp,
            seeds=[0],
            threads=1,
            dataset_path=digits_npz,
            snapshot_paths=[tmp_path / "1.pt"],
            metrics_paths=[tmp_path / "m.parquet"],
        )
    lines = [r.getMessage() for r in caplog.records if "batches (" in r.getMessage()]
    total = int(lines[0].split("/")[2].split()[0])
    assert total > 1 and len(lines) == total
    for done, line in enumerate(lines):
        assert line.startswith(
            f"epoch 1/1: {done}/{total} batches ({100 * done / total:.0f} %) in "
        )
