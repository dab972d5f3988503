"""Bring your own codes: a codes Parquet file or an activations .npz, checked against the
contract and analysed like any experiment's codes."""

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from conftest import snakemake
from scaleinv.codes import Layer, integer_code, read_layer, read_metadata, write_codes
from scaleinv.codes.external import binarize_activations, write_external_codes
from scaleinv.errors import ScaleinvError
from scaleinv.plan.experiments import Experiment
from scaleinv.stats.powerlaw_fit import sample_power_law

SETTINGS = {"kind": "external", "activation": "sigmoid", "binarization": {"threshold": 0.5}}


def power_law_codes(path, alpha, clusters, seed):
    """A codes file whose cluster sizes k are drawn from P(k) ~ k^-alpha (k >= 1): each
    cluster is one code, repeated k times; shuffled, with labels."""
    rng = np.random.default_rng(seed)
    sizes = sample_power_law(alpha, 1, clusters, rng)
    ids = rng.permutation(np.repeat(np.arange(clusters), sizes))
    bits = integer_code(ids, int(clusters - 1).bit_length())
    labels = ids % 10
    write_codes([Layer("train", "z1", bits, labels, "given")], {"source": "test"}, path)
    return sizes


def external(**settings):
    return Experiment("mine", "mine", "", {**SETTINGS, **settings})


def test_a_codes_file_is_copied_with_the_experiments_metadata(tmp_path):
    sizes = power_law_codes(tmp_path / "in.parquet", 2.5, 500, seed=0)
    write_external_codes(external(), 3, tmp_path / "in.parquet", tmp_path / "out.parquet")
    meta = read_metadata(tmp_path / "out.parquet")
    assert meta["experiment"] == "mine" and meta["kind"] == "external"
    assert (meta["seed"], meta["epoch"]) == (3, 0)
    assert meta["binarization"]["z1"] == {"rule": "given", "threshold": None}
    assert (meta["activation"], meta["code"], meta["dataset"]) == ("unknown", "given", "")
    assert meta["source"] == str(tmp_path / "in.parquet")
    samples, bits = read_layer(tmp_path / "out.parquet", "z1", "train")
    _, original = read_layer(tmp_path / "in.parquet", "z1", "train")
    np.testing.assert_array_equal(bits, original)
    assert len(samples) == sizes.sum()


def test_a_codes_files_own_description_of_its_codes_is_kept(tmp_path):
    """dataset, activation, code and binarization are the file's word; who ran it (experiment,
    kind, seed, epoch, source) is the workflow's."""
    bits = np.eye(4, dtype=np.uint8)
    own = {"dataset": "mine", "activation": "tanh", "code": "tanh > 0", "seed": 9, "kind": "x"}
    write_codes([Layer("train", "z1", bits, None, "sign", 0.0)], own, tmp_path / "in.parquet")
    write_external_codes(external(), 3, tmp_path / "in.parquet", tmp_path / "out.parquet")
    meta = read_metadata(tmp_path / "out.parquet")
    assert {k: meta[k] for k in own} == {**own, "seed": 3, "kind": "external"}
    assert meta["binarization"]["z1"] == {"rule": "sign", "threshold": 0.0}


@pytest.mark.parametrize(
    "damage, message",
    [
        (
            lambda t: t.drop_columns(["label"]),
            r"is not a codes file \(missing label\)",
        ),
        (
            lambda t: t.replace_schema_metadata({}),
            r"is not a codes file \(missing scaleinv metadata\)",
        ),
        (
            lambda t: t.replace_schema_metadata({"scaleinv": '{"widths": {"z1": 90}}'}),
            r"column code must be fixed-size binary of at least 12 bytes for its widest layer "
            r"\(z1: 90 bits\); got fixed_size_binary\[2\]",
        ),
        (
            lambda t: t.set_column(2, "label", pa.array(["a"] * t.num_rows)),
            r"column label must hold int16 values",
        ),
        (
            lambda t: t.replace_schema_metadata({"scaleinv": '{"widths": {"z2": 9}}'}),
            r"the layers in column layer \(z1\) differ from those in its metadata widths \(z2\)",
        ),
    ],
    ids=["missing column", "no metadata", "too narrow", "wrong type", "layers differ"],
)
def test_a_codes_file_that_breaks_the_contract_is_one_clear_error(tmp_path, damage, message):
    power_law_codes(tmp_path / "in.parquet", 2.5, 500, seed=0)
    pq.write_table(damage(pq.read_table(tmp_path / "in.parquet")), tmp_path / "bad.parquet")
    with pytest.raises(ScaleinvError, match=message):
        write_external_codes(external(), 0, tmp_path / "bad.parquet", tmp_path / "out.parquet")
    assert not (tmp_path / "out.parquet").exists()


def by_layer(layers):
    return {(layer.split, layer.name): layer for layer in layers}


def test_activations_are_binarized_like_a_networks_layers(tmp_path):
    rng = np.random.default_rng(1)
    z1_train, z1_test = rng.random((40, 6)), rng.random((10, 6))
    relu_train = rng.exponential(2.0, (40, 3))
    np.savez(
        tmp_path / "a.npz",
        z1_train=z1_train,
        z1_test=z1_test,
        z2_train=relu_train,
        y_train=np.arange(40) % 3,
    )
    write_external_codes(
        external(activations="a.npz"), 1, tmp_path / "a.npz", tmp_path / "c.parquet"
    )
    meta = read_metadata(tmp_path / "c.parquet")
    assert (meta["activation"], meta["code"], meta["dataset"]) == ("sigmoid", "sigmoid > 0.5", "")
    sigmoid = by_layer(binarize_activations(tmp_path / "a.npz", "sigmoid", 0.4))
    np.testing.assert_array_equal(sigmoid["test", "z1"].bits, z1_test > 0.4)
    assert sigmoid["train", "z1"].labels.tolist() == (np.arange(40) % 3).tolist()
    assert sigmoid["test", "z1"].labels is None and sigmoid["train", "z1"].rule == "threshold"
    relu = by_layer(binarize_activations(tmp_path / "a.npz", "relu", 0.4))
    assert relu["train", "z2"].rule == "mean"
    assert relu["train", "z2"].threshold == pytest.approx(relu_train.mean())
    np.testing.assert_array_equal(relu["test", "z1"].bits, z1_test > z1_train.mean())


@pytest.mark.parametrize(
    "arrays, message",
    [
        ({"z1_test": np.zeros((3, 2))}, "with at least one <layer>_train.*got z1_test"),
        ({"z1_train": np.zeros((3, 2)), "z1_valid": np.zeros((3, 2))}, "got z1_train, z1_valid"),
        ({"z1_train": np.zeros((3, 2)), "z1_test": np.zeros((3, 5))}, r"got shape \(3, 5\)"),
        (
            {"z1_train": np.zeros((3, 2)), "y_train": np.zeros(4)},
            r"y_train must be a 1-D array of one label per sample; it has shape \(4,\) for 3",
        ),
    ],
)
def test_activations_that_break_the_format_are_one_clear_error(tmp_path, arrays, message):
    np.savez(tmp_path / "a.npz", **arrays)
    with pytest.raises(ScaleinvError, match=message):
        binarize_activations(tmp_path / "a.npz", "sigmoid", 0.5)


@pytest.mark.slow
@pytest.mark.snakemake
def test_your_own_codes_run_through_the_workflow(workflow_copy):
    """Two seeds of codes with known power-law cluster sizes and one activations file,
    fitted and drawn without any training; then a contract violation stops its rule."""
    (workflow_copy / "mine").mkdir()
    for seed in (0, 1):
        power_law_codes(workflow_copy / f"mine/seed{seed}.parquet", 2.5, 3000, seed)
    rng = np.random.default_rng(2)
    np.savez(
        workflow_copy / "mine/acts.npz", z1_train=rng.random((500, 4)), z1_test=rng.random((100, 4))
    )
    config = {
        "data": {"mirrors": [], "download": False},
        "analysis": {"bootstrap": 50},
        "experiments": {
            "mine": {"kind": "external", "codes": "mine/seed{seed}.parquet", "seeds": [0, 1]},
            "acts": {"kind": "external", "activations": "mine/acts.npz"},
        },
    }
    (workflow_copy / "config.yaml").write_text(yaml.safe_dump(config))
    run = snakemake(workflow_copy, "--cores", "2")
    assert run.returncode == 0, run.stdout
    results = workflow_copy / "results"
    assert "rule train" not in run.stdout and not (results / "data").exists()
    fits = pl.read_parquet(results / "fits/mine.parquet").filter(pl.col("layer") == "z1")
    assert fits["seed"].to_list() == [0, 1] and fits["status"].to_list() == ["ok", "ok"]
    for row in fits.iter_rows(named=True):  # the sizes were drawn with beta = alpha - 1 = 1.5
        assert abs(row["beta"] - 1.5) < 3 * row["se"] and row["p_value"] >= 0.01
    acts = read_metadata(results / "codes/acts/seed0/epoch0.parquet")
    assert acts["widths"] == {"z1": 4} and acts["activation"] == "sigmoid"
    drawn = sorted(p.name for p in (results / "figures").glob("*.png"))
    assert drawn == ["fits.png", "relevance_resolution.png"]

    table = pq.read_table(workflow_copy / "mine/seed1.parquet")
    pq.write_table(table.drop_columns(["split"]), workflow_copy / "mine/seed1.parquet")
    broken = snakemake(workflow_copy, "--cores", "2")
    assert broken.returncode != 0
    errors = [line for line in broken.stdout.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: mine/seed1.parquet is not a codes file (missing split); write it in the codes "
        "contract (docs/own-codes.md)"
    ], broken.stdout
