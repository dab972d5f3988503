"""The real Snakemake DAG in a temp working copy: targets, dry run, lint, and clean failures."""

import numpy as np
import yaml

from conftest import corrupt_fashion_mnist_mirror, snakemake
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


def test_bad_config_value_stops_before_any_job(workflow_copy):
    config = yaml.safe_load((workflow_copy / "config.yaml").read_text())
    config["experiments"]["mlp"]["epochs"] = 0
    (workflow_copy / "config.yaml").write_text(yaml.safe_dump(config))
    run = snakemake(workflow_copy, "--cores", "1", "results/data/digits.npz")
    assert run.returncode != 0
    problems = [line for line in run.stdout.splitlines() if line.startswith("invalid config:")]
    assert problems == ["invalid config: experiments.mlp.epochs must be >= 1 (got 0)"]
    assert not (workflow_copy / "results").exists()


def test_corrupt_dataset_file_fails_the_rule_with_one_line_and_no_output(workflow_copy):
    offline = corrupt_fashion_mnist_mirror(workflow_copy)
    run = snakemake(
        workflow_copy,
        "results/data/fashion_mnist.npz",
        "--cores",
        "1",
        "--configfile",
        offline,
    )
    assert run.returncode != 0
    errors = [line for line in run.stdout.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, run.stdout
    assert errors[0].startswith(
        f"error: dataset fashion_mnist could not be obtained; tried {workflow_copy / 'bad-mirror'}: "
    )
    assert "is not a readable gzip file" in errors[0] and "data.download: false" in errors[0]
    assert not (workflow_copy / "results/data/fashion_mnist.npz").exists()
    assert leftovers(workflow_copy / "results") == []
