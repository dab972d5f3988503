"""Codes of trained networks: binarization rules, codes equal to the activations, and
byte-identical sampled (RBM) codes."""

import numpy as np
import pyarrow.parquet as pq
import pytest
import torch

from conftest import tiny_experiments
from scaleinv.codes import read_metadata, unpack
from scaleinv.datasets.read import read_dataset
from scaleinv.learn.models import make_model
from scaleinv.learn.models.autoencoder import Autoencoder
from scaleinv.learn.models.mlp import MLPClassifier
from scaleinv.learn.network_codes import (
    layer_thresholds,
    write_block_codes,
    write_network_codes,
)
from scaleinv.learn.snapshots import save_snapshot
from scaleinv.learn.training import train_experiment
from scaleinv.plan.experiments import Experiment


def test_relu_layers_binarize_at_their_mean(digits_npz):
    x = torch.from_numpy(read_dataset(digits_npz, "digits").x["train"])
    torch.manual_seed(0)
    model = Autoencoder(64, [16, 8, 16], "relu")
    thresholds = layer_thresholds(model, x, False, "relu", 0.5)
    for name, z in model.hidden(x):
        assert thresholds[name] == ("mean", pytest.approx(z.double().mean().item()))
    assert layer_thresholds(model, x, False, "sigmoid", 0.3)["z2"] == (
        "threshold",
        0.3,
    )


@pytest.mark.slow
def test_codes_match_the_binarized_activations(tmp_path, digits_npz):
    mlp = tiny_experiments()["mlp"]
    train_experiment(
        mlp, [0], 2, digits_npz, [tmp_path / "e0.pt", tmp_path / "e3.pt"], [tmp_path / "m.parquet"]
    )
    write_network_codes(mlp, 0, 3, 2, digits_npz, tmp_path / "e3.pt", tmp_path / "codes.parquet")
    meta = read_metadata(tmp_path / "codes.parquet")
    assert meta["widths"] == {"x": 64, "z1": 20, "z2": 10} and meta["epoch"] == 3
    table = pq.read_table(tmp_path / "codes.parquet")
    z2 = table.filter(
        np.logical_and(np.array(table["layer"]) == "z2", np.array(table["split"]) == "test")
    )
    codes = np.frombuffer(b"".join(z2["code"].to_pylist()), np.uint8).reshape(z2.num_rows, -1)
    data = read_dataset(digits_npz, "digits")
    model = MLPClassifier(64, [20, 10], 10, "sigmoid")
    model.load_state_dict(torch.load(tmp_path / "e3.pt", weights_only=True))
    x_test = torch.from_numpy(data.x["test"])
    expected = (dict(model.hidden(x_test))["z2"] > 0.5).numpy().astype(np.uint8)
    np.testing.assert_array_equal(unpack(codes, 10), expected)
    assert z2["label"].to_pylist() == data.y["test"].tolist()
    assert z2["sample"].to_pylist() == list(range(359))


@pytest.mark.slow
def test_rbm_snapshots_and_codes_are_byte_identical_across_runs(tmp_path, digits_npz):
    """The RBM's codes (default definition gibbs: h -> v -> h) are sampled; the same seed
    must still give the same bytes."""
    rbm = tiny_experiments()["rbm"]
    for run in ("a", "b"):
        train_experiment(
            rbm, [0], 2, digits_npz, [tmp_path / f"{run}.pt"], [tmp_path / f"{run}m.parquet"]
        )
        write_network_codes(
            rbm, 0, 2, 2, digits_npz, tmp_path / f"{run}.pt", tmp_path / f"{run}.parquet"
        )
    assert (tmp_path / "a.pt").read_bytes() == (tmp_path / "b.pt").read_bytes()
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    meta = read_metadata(tmp_path / "a.parquet")
    assert meta["binarization"]["z1"] == {"rule": "gibbs", "threshold": None}


def test_a_block_job_writes_the_bytes_of_one_job_per_snapshot(tmp_path, digits_npz):
    """The codes rule writes every snapshot of a block of seeds in one process: each file
    is byte for byte the one a process of its own writes (the RBM's sampled states too)."""
    planned = tiny_experiments()["rbm"]
    rbm = Experiment.from_params(planned.seed_params())  # what the rule's job is given
    data = read_dataset(digits_npz, "digits")
    snapshots = []
    for seed in (0, 1):
        for epoch in (0, 2):
            torch.manual_seed(10 * seed + epoch)  # a different network per snapshot
            path = tmp_path / f"s{seed}e{epoch}.pt"
            save_snapshot(make_model(rbm, data).state_dict(), path)
            snapshots.append((seed, epoch, path, tmp_path / f"block{seed}{epoch}.parquet"))
    write_block_codes(rbm, snapshots, 1, digits_npz)
    for seed, epoch, snapshot, codes in snapshots:
        alone = tmp_path / f"alone{seed}{epoch}.parquet"
        write_network_codes(rbm, seed, epoch, 1, digits_npz, snapshot, alone)
        assert codes.read_bytes() == alone.read_bytes()
    assert read_metadata(snapshots[-1][3])["seed"] == 1
