"""The bad-input table (docs, Troubleshooting): each case through real Snakemake runs.

An error is one line (`invalid config: ...` before any job, or `error: ...` from the failing
rule), a non-zero exit, and no output or temporary file left; a degenerate distribution is
no error but a documented `status` row.
"""

import gzip
import shutil

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import torch
import yaml

from conftest import TINY, copy_workflow, fashion_mnist_mirror, snakemake

pytestmark = [pytest.mark.slow, pytest.mark.snakemake]

FASHION = "results/data/fashion_mnist.npz"
MLP_TRAINING = "results/train/mlp/seed0/metrics.parquet"
AE_TRAINING = "results/train/ae/seed0/metrics.parquet"


def use_tiny_config(workdir, edit=None, extra=None):
    config = yaml.safe_load(TINY.read_text())
    if edit:
        edit(config)
    config.update(extra or {})
    (workdir / "config.yaml").write_text(yaml.safe_dump(config))


def leftovers(workdir):
    results = workdir / "results"
    return sorted(p.name for p in results.rglob(".*.tmp")) if results.exists() else []


def assert_one_error(run, workdir, message, absent):
    assert run.returncode != 0
    errors = [line for line in run.stdout.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, run.stdout
    assert message in errors[0], errors[0]
    assert not (workdir / absent).exists()
    assert leftovers(workdir) == []


def ising_pair(temperatures, null_temperatures):
    """An Ising autoencoder and the de-duplicating null read beside it."""
    network = {"dataset": "ising", "widths": [8], "epochs": 2, "snapshots": [2]}
    return {
        "ising_ae": {**network, "kind": "ising_ae", "temperatures": temperatures},
        "unique": {
            **network,
            "kind": "ising_ae_unique",
            "target": "ising_ae",
            "temperatures": null_temperatures,
        },
    }


@pytest.mark.parametrize(
    "edit, message",
    [
        pytest.param(
            lambda c: c["experiments"]["mlp"].update(epochs="ten"),
            "experiments.mlp.epochs must be of type integer (got 'ten')",
            id="wrong type",
        ),
        pytest.param(
            lambda c: c["experiments"]["mlp"].update(epochs=0),
            "experiments.mlp.epochs must be >= 1 (got 0)",
            id="out of range",
        ),
        pytest.param(
            lambda c: c["experiments"]["mlp"].update(dataset="imagenet"),
            "experiments.mlp.dataset must be one of mnist, fashion_mnist, emnist_lower, "
            "cifar10, digits, ising (got 'imagenet')",
            id="unknown dataset",
        ),
        pytest.param(
            lambda c: c["experiments"]["mlp"].update(kind="gan"),
            "experiments.mlp.kind must be one of rbm, kmeans, tsne, mlp, ae, cnn_ae, ising_ae, "
            "external, random_projection, random_bits, untrained_network, shuffled_inputs, "
            "kmeans_matched, ising_ae_unique (got 'gan')",
            id="unknown kind",
        ),
        pytest.param(
            lambda c: c["experiments"]["mlp"].update(widths=[]),
            "experiments.mlp.widths must list at least 1 item(s) (got [])",
            id="no hidden layer",
        ),
        pytest.param(
            lambda c: c["experiments"]["mlp"].update(snapshots=[0, 9]),
            "experiments.mlp.snapshots must be <= epochs (3) (got [9])",
            id="snapshot of an unknown epoch",
        ),
        pytest.param(
            lambda c: c["experiments"]["mlp"].update(seeds=[0, 0]),
            "experiments.mlp.seeds must not repeat a value (got [0, 0])",
            id="a seed twice",
        ),
        pytest.param(
            lambda c: c["experiments"]["rbm"].update(activation="relu"),
            "experiments.rbm sets activation, which kind rbm does not use; remove it",
            id="a key the kind ignores",
        ),
        pytest.param(
            lambda c: c["experiments"]["mlp"].update(device="tpu"),
            "experiments.mlp.device must be one of auto, cpu, cuda (got 'tpu')",
            id="unknown device",
        ),
        pytest.param(
            lambda c: c["figures"]["fig4"].update(experiments=["mpl"]),
            "figures.fig4.experiments names unknown experiments ['mpl']",
            id="unknown experiment in a figure",
        ),
        pytest.param(
            lambda c: c["scaling"].update(replicates=2.0),
            "scaling.replicates must be an integer: write 2, not 2.0",
            id="a whole-number float",
        ),
        pytest.param(
            lambda c: c.update(limits={"subsamples": 10}),
            "scaling plans up to 24 subsample fits, more than limits.subsamples = 10 (the most: "
            "mlp, 1 seed x 2 snapshots x 3 layers x 1 split x 2 sizes x 2 replicates = 24); "
            "lower scaling.sizes, replicates, seeds or splits, or raise limits.subsamples to "
            "run it",
            id="more subsample fits than limits.subsamples",
        ),
        pytest.param(
            lambda c: c.update(limits={"replicates": 1000}),
            "the config plans up to 4,840 bootstrap replicates, more than limits.replicates = "
            "1,000: 76 layer fits x 40 (analysis.bootstrap + estimator_bootstrap + "
            "occupancy_bootstrap), 24 subsample fits x 25 (scaling.bootstrap + "
            "estimator_bootstrap + occupancy_bootstrap) and 6 scaled layers x 200 "
            "(scaling.pair_draws); lower a count named here, or raise limits.replicates to "
            "run it",
            id="more bootstrap replicates than limits.replicates",
        ),
        pytest.param(
            lambda c: c["experiments"].update(ising_pair(["2.26", "3.28"], ["1.53", "2.26"])),
            "experiments.unique.temperatures must be temperatures of its target ising_ae "
            "(['2.26', '3.28']) (got ['1.53']); a null is compared with its target at the same "
            "temperature",
            id="a de-duplicating null at a temperature its target lacks",
        ),
    ],
)
def test_bad_config_stops_before_any_job(workflow_copy, edit, message):
    use_tiny_config(workflow_copy, edit)
    run = snakemake(workflow_copy, "--cores", "1")
    assert run.returncode != 0 and "Traceback" not in run.stdout
    problems = [line for line in run.stdout.splitlines() if line.startswith("invalid config:")]
    assert len(problems) == 1 and problems[0].startswith(f"invalid config: {message}"), run.stdout
    assert not (workflow_copy / "results").exists()


@pytest.mark.parametrize(
    "damage, message",
    [
        pytest.param(
            lambda data: b"\x1f\x8b not really gzip",
            "t10k-labels-idx1-ubyte.gz is not a readable gzip file",
            id="corrupt archive",
        ),
        pytest.param(
            lambda data: data[: len(data) // 2],
            "t10k-labels-idx1-ubyte.gz is not a readable gzip file",
            id="truncated archive",
        ),
        pytest.param(
            lambda data: gzip.compress(b"other labels"),
            "t10k-labels-idx1-ubyte.gz fails its checksum (md5 ",
            id="checksum mismatch",
        ),
        pytest.param(
            lambda data: None,
            "mirror: missing t10k-labels-idx1-ubyte.gz",
            id="missing dataset offline",
        ),
    ],
)
def test_bad_dataset_file_fails_its_rule(workflow_copy, damage, message):
    use_tiny_config(workflow_copy, extra=fashion_mnist_mirror(workflow_copy, damage))
    run = snakemake(workflow_copy, "--cores", "1", FASHION)
    assert_one_error(run, workflow_copy, message, FASHION)
    assert "data.download: false" in run.stdout


def test_an_empty_split_fails_the_dataset_rule(workflow_copy):
    use_tiny_config(workflow_copy, extra={"datasets": {"digits": {"test_fraction": 0.0001}}})
    run = snakemake(workflow_copy, "--cores", "1", "results/data/digits.npz")
    assert_one_error(
        run,
        workflow_copy,
        "dataset digits: the test split is empty; check datasets.digits in the config (got {",
        "results/data/digits.npz",
    )


def test_nan_loss_fails_training(workflow_copy):
    use_tiny_config(workflow_copy, lambda c: c["experiments"]["ae"].update(lr=1e30))
    run = snakemake(workflow_copy, "--cores", "1", AE_TRAINING)
    assert_one_error(
        run, workflow_copy, "experiments.ae: the training loss became nan in epoch 1", AE_TRAINING
    )
    assert not list((workflow_copy / "results/train").rglob("*.pt"))


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_cuda_without_a_gpu_fails_training(workflow_copy):
    use_tiny_config(workflow_copy, lambda c: c["experiments"]["mlp"].update(device="cuda"))
    run = snakemake(workflow_copy, "--cores", "1", MLP_TRAINING)
    assert_one_error(
        run,
        workflow_copy,
        "experiments.mlp.device is cuda, but no CUDA device is available here; use auto or cpu",
        MLP_TRAINING,
    )


def truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def foreign_table(path):
    pq.write_table(pa.table({"sample": [1, 2]}), path)


@pytest.mark.parametrize(
    "damage, message",
    [
        pytest.param(truncate, "epoch3.parquet is not a readable Parquet file", id="truncated"),
        pytest.param(
            foreign_table,
            "epoch3.parquet is not a codes file (missing split, label, layer, code)",
            id="wrong schema",
        ),
    ],
)
def test_bad_codes_parquet_fails_its_readers(tiny_run_copy, damage, message):
    damage(tiny_run_copy / "results/codes/mlp/seed0/epoch3.parquet")
    run = snakemake(tiny_run_copy, "--cores", "1", "results/degeneracy/mlp.parquet")
    assert_one_error(run, tiny_run_copy, message, "results/degeneracy/mlp.parquet")


@pytest.mark.parametrize(
    "experiment, epoch, layer, status",
    [
        pytest.param(
            "ae", 2, "z1", "degenerate: 2 distinct sizes (fewer than min_distinct = 5)", id="few"
        ),
        pytest.param(
            "mlp", 0, "z2", "degenerate: all 1 codes have the same size k = 1438", id="one code"
        ),
    ],
)
def test_degenerate_distribution_is_a_status_row(tiny_run, experiment, epoch, layer, status):
    fits = pl.read_parquet(tiny_run / f"results/fits/{experiment}.parquet")
    row = fits.filter(
        (pl.col("epoch") == epoch) & (pl.col("layer") == layer) & (pl.col("split") == "train")
    ).row(0, named=True)
    assert row["status"] == status
    assert row["alpha"] is None and row["p_value"] is None


class Payload:
    """What a malicious snapshot would carry: unpickling it runs code."""

    def __reduce__(self):
        return (print, ("unpickled a payload",))


def pickle_payload(path):
    torch.save({"weight": torch.zeros(1), "extra": Payload()}, path)


def variable_width_codes(path):
    table = pq.read_table(path)
    column = pa.array(table["code"].to_pylist(), pa.binary())
    pq.write_table(table.set_column(4, pa.field("code", pa.binary()), column), path)


@pytest.mark.parametrize(
    "damaged, damage, target, message",
    [
        pytest.param(
            "results/data/digits.npz",
            truncate,
            MLP_TRAINING,
            "results/data/digits.npz is not a readable dataset file",
            id="truncated dataset",
        ),
        pytest.param(
            "results/train/mlp/seed0/epoch3.pt",
            pickle_payload,
            "results/codes/mlp/seed0/epoch3.parquet",
            "epoch3.pt holds objects other than tensors, which are never unpickled here; "
            "delete it and rerun",
            id="pickle payload",
        ),
        pytest.param(
            "results/train/mlp/seed0/epoch3.pt",
            lambda path: shutil.copy(path.parents[3] / "train/ae/seed0/epoch2.pt", path),
            "results/codes/mlp/seed0/epoch3.parquet",
            "epoch3.pt holds the weights of another architecture",
            id="another model's snapshot",
        ),
        pytest.param(
            "results/degeneracy/mlp.parquet",
            truncate,
            "results/fits/mlp.parquet",
            "results/degeneracy/mlp.parquet is not a readable Parquet file",
            id="truncated table",
        ),
        pytest.param(
            "results/codes/rbm/seed0/epoch2.parquet",
            variable_width_codes,
            "results/embeddings/tsne.parquet",
            "epoch2.parquet: column code must be fixed-size binary of at least 8 bytes for its "
            "widest layer (x: 64 bits); got binary",
            id="variable-width codes",
        ),
    ],
)
def test_a_damaged_intermediate_file_fails_its_reader(
    tiny_run_copy, damaged, damage, target, message
):
    damage(tiny_run_copy / damaged)
    run = snakemake(tiny_run_copy, "--cores", "1", target)
    assert_one_error(run, tiny_run_copy, message, target)
    assert "unpickled a payload" not in run.stdout


def test_hostile_experiment_names_write_nothing_outside(tmp_path):
    workdir = tmp_path / "deep/down/checkout"
    workdir.mkdir(parents=True)
    copy_workflow(workdir)
    before = sorted(p for p in tmp_path.rglob("*") if workdir not in p.parents and p != workdir)
    use_tiny_config(
        workdir, lambda c: c["experiments"].update({"../../../escaped": c["experiments"]["mlp"]})
    )
    run = snakemake(workdir, "--cores", "1")
    assert run.returncode != 0
    assert (
        "invalid config: experiments has a name that is not allowed: '../../../escaped'"
        in run.stdout
    )
    after = sorted(p for p in tmp_path.rglob("*") if workdir not in p.parents and p != workdir)
    assert after == before and not (workdir / "results").exists()
