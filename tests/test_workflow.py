"""The real Snakemake DAG in a temp working copy: targets, dry run, lint, and clean failures."""

import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest

from conftest import snakemake
from scaleinv.analysis.scaling import SUMMARY_SCHEMA
from scaleinv.codes import read_metadata
from scaleinv.datasets.build import build_dataset
from scaleinv.plan.figures import CONFIGURED

pytestmark = [pytest.mark.slow, pytest.mark.snakemake]


def leftovers(directory):
    """Temporary or partial files an interrupted or failed job might leave."""
    return sorted(p.name for p in directory.rglob(".*.tmp")) if directory.exists() else []


def test_digits_dataset_through_snakemake(workflow_copy):
    run = snakemake(workflow_copy, "--cores", "1", "results/data/digits.npz")
    assert run.returncode == 0, run.stdout
    with np.load(workflow_copy / "results/data/digits.npz") as built:
        assert sorted(built.files) == ["x_test", "x_train", "y_test", "y_train"]
        expected = build_dataset(
            "digits", {"test_fraction": 0.2}, {"mirrors": [], "cache": "unused", "download": False}
        )
        for name, array in expected.items():
            np.testing.assert_array_equal(built[name], array)
    assert (
        "digits: train split (1438, 64)"
        in (workflow_copy / "results/logs/data/digits.log").read_text()
    )
    assert (workflow_copy / "results/benchmarks/data/digits.tsv").exists()
    assert leftovers(workflow_copy / "results") == []
    rerun = snakemake(workflow_copy, "--cores", "1", "results/data/digits.npz")
    assert "Nothing to be done" in rerun.stdout


def test_default_config_dry_run_prints_the_dag(workflow_copy):
    run = snakemake(workflow_copy, "-n", "--cores", "1")
    assert run.returncode == 0, run.stdout
    assert "output: results/data/fashion_mnist.npz" in run.stdout
    assert not (workflow_copy / "results").exists()


def test_lint_is_clean(workflow_copy):
    run = snakemake(workflow_copy, "--lint")
    assert run.returncode == 0, run.stdout
    assert "Congratulations, your workflow is in a good condition!" in run.stdout


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
        "mlp_projection/seed0/epoch0.parquet",
        "mlp_shuffled/seed0/epoch0.parquet",
        "mlp_threshold.threshold=0.3/seed0/epoch0.parquet",
        "mlp_threshold.threshold=0.3/seed0/epoch3.parquet",
        "mlp_threshold.threshold=0.7/seed0/epoch0.parquet",
        "mlp_threshold.threshold=0.7/seed0/epoch3.parquet",
        "rbm/seed0/epoch2.parquet",
    ]
    null = read_metadata(tiny_run / "results/codes/mlp_projection/seed0/epoch0.parquet")
    assert null["target"] == "mlp" and set(null["matched"]) == {"z1", "z2"}
    assert all(record["matched"] for record in null["matched"].values())
    rbm = read_metadata(tiny_run / "results/codes/rbm/seed0/epoch2.parquet")
    assert rbm["binarization"]["z1"] == {"rule": "gibbs", "threshold": None}
    assert rbm["code"] == "gibbs"
    point = read_metadata(
        tiny_run / "results/codes/mlp_threshold.threshold=0.7/seed0/epoch3.parquet"
    )
    assert point["binarization"]["z1"] == {"rule": "threshold", "threshold": 0.7}
    assert not (tiny_run / "results/train/mlp_threshold.threshold=0.7").exists()  # shared
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
    log = (tiny_run / "results/logs/train/mlp/block0.log").read_text()
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
    assert fits["code"].unique().to_list() == ["sigmoid > 0.5"]
    sweep = pl.read_parquet(results / "sweeps/mlp_threshold.parquet")
    assert sweep.height == 2 * 2 * 2 * 3  # points, epochs, splits, layers
    assert sweep["threshold"].unique().sort().to_list() == ["0.3", "0.7"]
    assert (sweep["seeds"] == 1).all()
    claims = pl.read_csv(results / "claims.tsv", separator="\t")
    assert claims["claim"].to_list() == [f"C{i}" for i in range(1, 8)]
    assert set(claims["verdict"]) <= {"supported", "partly", "not supported", "not testable here"}
    verdicts = dict(zip(claims["claim"], claims["verdict"], strict=True))
    assert verdicts["C4"] == "not testable here"  # the tiny config has no epoch-1 snapshot
    assert verdicts["C5"] == "not testable here"  # one Ising temperature
    assert "of 4 (point, layer)" in claims.filter(pl.col("claim") == "C6")["evidence"][0]
    scaling = pl.read_parquet(results / "scaling/mlp.parquet")
    assert scaling.height == 2 * 3 * (2 + 1)  # epochs, layers x z1 z2, M = 400 twice, 1438
    assert (scaling["split"] == "train").all() and scaling["evidence"].is_not_null().all()
    per_layer = pl.read_csv(results / "scaling/mlp.tsv", separator="\t")
    assert per_layer.columns == list(SUMMARY_SCHEMA) and per_layer.height == 2 * 3
    for name in [*CONFIGURED, "sweep_mlp_threshold", "scaling_mlp"]:
        assert (results / f"figures/{name}.pdf").read_bytes().startswith(b"%PDF")
        assert (results / f"figures/{name}.png").read_bytes().startswith(b"\x89PNG")


def test_the_report_holds_every_figure_and_table(tiny_run_copy):
    run = snakemake(tiny_run_copy, "--report", "results/report.html")
    assert run.returncode == 0, run.stdout
    html = (tiny_run_copy / "results/report.html").read_text()
    for name in [*CONFIGURED, "scaling_mlp"]:
        assert f"{name}.png" in html, name
    for table in ("summary.tsv", "metrics.tsv", "autocorr.tsv"):
        assert table in html, table
    assert "training metrics" in html and "power-law fits" in html  # labels to browse by
