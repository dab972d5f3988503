"""Every codes writer goes through the contract's metadata: the same keys in every file,
whichever writer made it (a network's snapshot, k-means, your own codes or activations)."""

import numpy as np
import pytest
import torch

from conftest import tiny_experiments
from scaleinv.codes import METADATA_FIELDS, Layer, read_metadata, write_codes
from scaleinv.codes.external import write_external_codes
from scaleinv.codes.kmeans import write_kmeans_codes
from scaleinv.datasets.read import read_dataset
from scaleinv.learn.models import make_model
from scaleinv.learn.network_codes import write_network_codes
from scaleinv.learn.snapshots import save_snapshot
from scaleinv.plan.experiments import Experiment

CONTRACT = {*METADATA_FIELDS, "widths", "binarization"}
EXTERNAL = {"kind": "external", "activation": "sigmoid", "binarization": {"threshold": 0.5}}


def network_codes(experiment, digits_npz, path):
    """Codes of the untrained network (epoch 0) of `experiment`."""
    torch.manual_seed(0)
    model = make_model(experiment, read_dataset(digits_npz, "digits"))
    save_snapshot(model.state_dict(), path.with_suffix(".pt"))
    write_network_codes(experiment, 0, 0, 1, digits_npz, path.with_suffix(".pt"), path)


def kmeans_codes(experiment, digits_npz, path):
    write_kmeans_codes(experiment, 0, digits_npz, path)


def external_parquet(tmp_path, path):
    bits = np.random.default_rng(0).integers(0, 2, (20, 5), dtype=np.uint8)
    write_codes([Layer("train", "z1", bits, None, "given")], {}, tmp_path / "mine.parquet")
    write_external_codes(
        Experiment("mine", "mine", "", EXTERNAL), 0, tmp_path / "mine.parquet", path
    )


def external_npz(tmp_path, path):
    np.savez(tmp_path / "acts.npz", z1_train=np.random.default_rng(0).random((20, 5)))
    settings = {**EXTERNAL, "activations": "acts.npz"}
    write_external_codes(Experiment("acts", "acts", "", settings), 0, tmp_path / "acts.npz", path)


@pytest.fixture(scope="module")
def experiments():
    return tiny_experiments(
        lambda config: config["experiments"]["kmeans"].update(clusters=4, n_init=1)
    )


def test_every_writer_carries_the_contracts_metadata_keys(tmp_path, digits_npz, experiments):
    writers = {
        "mlp": lambda path: network_codes(experiments["mlp"], digits_npz, path),
        "rbm": lambda path: network_codes(experiments["rbm"], digits_npz, path),
        "kmeans": lambda path: kmeans_codes(experiments["kmeans"], digits_npz, path),
        "external codes": lambda path: external_parquet(tmp_path, path),
        "external activations": lambda path: external_npz(tmp_path, path),
    }
    keys = {}
    for name, write in writers.items():
        path = tmp_path / f"{name.replace(' ', '_')}.parquet"
        write(path)
        keys[name] = set(read_metadata(path))
    assert keys == {
        "mlp": CONTRACT,
        "rbm": CONTRACT,
        "kmeans": CONTRACT,
        "external codes": CONTRACT | {"source"},  # the file the codes came from
        "external activations": CONTRACT | {"source"},
    }
