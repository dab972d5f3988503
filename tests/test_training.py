"""Models, trainer and code extraction on small real data (scikit-learn's digits)."""

import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest
import torch
import yaml
from snakemake.utils import validate

from conftest import REPO, TINY
from scaleinv.atomic import save_npz
from scaleinv.codes import read_metadata, unpack
from scaleinv.data import load_splits
from scaleinv.datasets.build import build_dataset
from scaleinv.errors import ScaleinvError
from scaleinv.experiments import expand_experiments
from scaleinv.extract import extract_codes, layer_thresholds
from scaleinv.models import build_model
from scaleinv.plots import FIGURES
from scaleinv.training import resolve_device, train_experiment


@pytest.fixture(scope="module")
def digits_npz(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "digits.npz"
    save_npz(
        path,
        build_dataset(
            "digits",
            {"test_fraction": 0.2},
            {"mirrors": [], "cache": str(path.parent), "download": False},
        ),
    )
    return path


def experiments(edit=None):
    config = yaml.safe_load(TINY.read_text())
    if edit:
        edit(config)
    validate(config, str(REPO / "workflow/schemas/config.schema.yaml"))  # fills defaults
    return expand_experiments(config)


@pytest.mark.parametrize(
    "kind, shape, widths, expected",
    [
        ("mlp", (64,), [20, 10], [("z1", 20), ("z2", 10)]),
        ("ae", (64,), [16, 8, 16], [("z1", 16), ("z2", 8), ("z3", 16)]),
        ("ising_ae", (100,), [30], [("z1", 30)]),
        ("rbm", (64,), [12], [("z1", 12)]),
        (
            "cnn_ae",
            (1, 28, 28),
            None,
            [("z1", 16 * 14 * 14), ("z2", 8 * 7 * 7), ("z3", 16 * 14 * 14)],
        ),
        ("cnn_ae", (3, 32, 32), None, [("z1", 4096), ("z2", 512), ("z3", 4096)]),
    ],
)
def test_model_layers_and_loss(kind, shape, widths, expected):
    torch.manual_seed(0)
    model = build_model(kind, shape, widths, "sigmoid", 10)
    x, y = torch.rand(7, *shape), torch.randint(0, 10, (7,))
    generator = torch.Generator().manual_seed(0)
    assert [(name, z.shape) for name, z in model.hidden(x, generator)] == [
        (n, (7, w)) for n, w in expected
    ]
    loss = model.loss(x, y, generator)
    loss.backward()
    assert torch.isfinite(loss) and all(p.grad is not None for p in model.parameters())
    if kind == "rbm":
        assert set(torch.cat([z for _, z in model.hidden(x, generator)]).unique().tolist()) <= {
            0.0,
            1.0,
        }


def test_mlp_learns_digits_and_is_deterministic(tmp_path, digits_npz):
    mlp = experiments(lambda c: c["experiments"]["mlp"].update(epochs=30, snapshots=[0, 30]))["mlp"]
    for run in ("a", "b"):
        snapshots = {0: tmp_path / f"{run}0.pt", 30: tmp_path / f"{run}30.pt"}
        train_experiment(mlp, 0, digits_npz, snapshots, tmp_path / f"{run}.parquet")
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
    ae = experiments(lambda c: c["experiments"]["ae"].update(lr=1e30))["ae"]
    with pytest.raises(
        ScaleinvError,
        match=r"experiments.ae: the training loss became nan in epoch 1; lower experiments.ae.lr \(got 1e\+30\)",
    ):
        train_experiment(
            ae, 0, digits_npz, {2: tmp_path / "epoch2.pt"}, tmp_path / "metrics.parquet"
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


def test_relu_layers_binarize_at_their_mean(digits_npz):
    splits = load_splits(digits_npz, "digits", conv=False)
    torch.manual_seed(0)
    model = build_model("ae", (64,), [16, 8, 16], "relu", 0)
    thresholds = layer_thresholds(model, splits.x["train"], "ae", "relu", 0.5)
    for name, z in model.hidden(splits.x["train"]):
        assert thresholds[name] == ("mean", pytest.approx(z.double().mean().item()))
    assert layer_thresholds(model, splits.x["train"], "ae", "sigmoid", 0.3)["z2"] == (
        "threshold",
        0.3,
    )


def test_codes_match_the_binarized_activations(tmp_path, digits_npz):
    mlp = experiments()["mlp"]
    train_experiment(
        mlp, 0, digits_npz, {0: tmp_path / "e0.pt", 3: tmp_path / "e3.pt"}, tmp_path / "m.parquet"
    )
    extract_codes(mlp, 0, 3, digits_npz, tmp_path / "e3.pt", tmp_path / "codes.parquet")
    meta = read_metadata(tmp_path / "codes.parquet")
    assert meta["widths"] == {"x": 64, "z1": 20, "z2": 10} and meta["epoch"] == 3
    table = pq.read_table(tmp_path / "codes.parquet")
    z2 = table.filter(
        np.logical_and(np.array(table["layer"]) == "z2", np.array(table["split"]) == "test")
    )
    codes = np.frombuffer(b"".join(z2["code"].to_pylist()), np.uint8).reshape(z2.num_rows, -1)
    splits = load_splits(digits_npz, "digits", conv=False)
    model = build_model("mlp", (64,), [20, 10], "sigmoid", 10)
    model.load_state_dict(torch.load(tmp_path / "e3.pt", weights_only=True))
    expected = (dict(model.hidden(splits.x["test"]))["z2"] > 0.5).numpy().astype(np.uint8)
    np.testing.assert_array_equal(unpack(codes, 10), expected)
    assert z2["label"].to_pylist() == splits.y["test"].tolist()
    assert z2["sample"].to_pylist() == list(range(359))


def test_every_kind_trains_and_codes_through_snakemake(tiny_run):
    codes = sorted(
        p.relative_to(tiny_run / "results/codes").as_posix()
        for p in (tiny_run / "results/codes").rglob("*.parquet")
    )
    assert codes == [
        "ae/seed0/epoch2.parquet",
        "cnn_ae/seed0/epoch1.parquet",
        "ising_ae_T2.26/seed0/epoch2.parquet",
        "kmeans/seed0/epoch0.parquet",
        "mlp/seed0/epoch0.parquet",
        "mlp/seed0/epoch3.parquet",
        "rbm/seed0/epoch2.parquet",
    ]
    ae = read_metadata(tiny_run / "results/codes/ae/seed0/epoch2.parquet")
    assert ae["binarization"]["z2"]["rule"] == "mean" and ae["activation"] == "relu"
    ising = read_metadata(tiny_run / "results/codes/ising_ae_T2.26/seed0/epoch2.parquet")
    assert ising["binarization"]["z1"] == {"rule": "threshold", "threshold": 0.4}
    assert pq.read_table(tiny_run / "results/codes/ising_ae_T2.26/seed0/epoch2.parquet")[
        "split"
    ].unique().to_pylist() == ["train"]
    kmeans = pq.read_table(tiny_run / "results/codes/kmeans/seed0/epoch0.parquet")
    assert (
        read_metadata(tiny_run / "results/codes/kmeans/seed0/epoch0.parquet")["widths"]["z1"] == 4
    )
    assert kmeans.num_rows == 2 * 1797
    log = (tiny_run / "results/logs/train/mlp/seed0.log").read_text()
    assert "epoch 3/3" in log and "test_accuracy=" in log
    embedding = pq.read_table(tiny_run / "results/embeddings/tsne.parquet").to_pylist()
    assert len(embedding) == 2 * 300
    assert {row["panel"] for row in embedding} == {"codes", "pixels"}
    pixels = [row for row in embedding if row["panel"] == "pixels"]
    assert max(row["group"] for row in pixels) < 16  # k-means clusters of the tiny config
    assert_analysis_outputs(tiny_run)


def assert_analysis_outputs(workdir):
    """Tables and figures of the tiny run: every group counted once, every figure drawn."""
    results = workdir / "results"
    samples = {"train": 1438, "test": 359}  # digits, last 20 % as the test split
    for experiment in ("mlp", "ae", "rbm", "cnn_ae", "kmeans"):
        degeneracy = pl.read_parquet(results / f"degeneracy/{experiment}.parquet")
        totals = degeneracy.group_by("epoch", "layer", "split").agg(
            (pl.col("k").cast(pl.Int64) * pl.col("m")).sum().alias("M")
        )
        assert all(samples[row["split"]] == row["M"] for row in totals.iter_rows(named=True))
        information = pl.read_parquet(results / f"information/{experiment}.parquet")
        assert information.height == totals.height
        assert (information["I_ZY"] <= information["H_Y"] + 1e-12).all()
    fits = pl.read_parquet(results / "fits/mlp.parquet")
    assert fits.height == 2 * 2 * 3  # epochs 0 and 3, two splits, layers x, z1, z2
    assert set(fits["status"]) <= {"ok"} | {s for s in fits["status"] if s.startswith("degenerate")}
    summary = (results / "fits/summary.tsv").read_text().splitlines()
    assert summary[0].split("\t")[:5] == ["experiment", "seed", "epoch", "layer", "split"]
    for name in FIGURES:
        assert (results / f"figures/{name}.pdf").read_bytes().startswith(b"%PDF")
        assert (results / f"figures/{name}.png").read_bytes().startswith(b"\x89PNG")


def test_rbm_snapshots_and_codes_are_byte_identical_across_runs(tmp_path, digits_npz):
    """The RBM's codes are sampled; the same seed must still give the same bytes."""
    rbm = experiments()["rbm"]
    for run in ("a", "b"):
        train_experiment(
            rbm, 0, digits_npz, {2: tmp_path / f"{run}.pt"}, tmp_path / f"{run}m.parquet"
        )
        extract_codes(rbm, 0, 2, digits_npz, tmp_path / f"{run}.pt", tmp_path / f"{run}.parquet")
    assert (tmp_path / "a.pt").read_bytes() == (tmp_path / "b.pt").read_bytes()
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    meta = read_metadata(tmp_path / "a.parquet")
    assert meta["binarization"]["z1"] == {"rule": "sampled", "threshold": None}
