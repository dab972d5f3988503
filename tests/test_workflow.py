"""The real Snakemake DAG in a temp working copy: targets, dry run, lint, and clean failures."""

import numpy as np

from conftest import snakemake
from scaleinv.datasets.build import build_dataset


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
