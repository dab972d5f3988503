"""The paper's own data (issue 34): the MNIST RBM experiment, run twice from the shared
MNIST folder through the workflow's dataset rule, gives the same bytes in every table."""

import shutil

import pytest
import yaml

from conftest import SHARED_MNIST, TINY, copy_workflow, needs_shared_mnist, outputs, snakemake

pytestmark = [pytest.mark.slow, pytest.mark.snakemake, needs_shared_mnist]

# The paper config's RBM (workflow/configs/paper_data.yaml), small: 10,000 training images,
# two epochs, two seeds trained together; its tables, not its figures
TABLES = [
    "results/data/mnist.npz",
    "results/train/metrics.tsv",
    "results/degeneracy/rbm.parquet",
    "results/information/rbm.parquet",
    "results/fits/rbm.parquet",
]


def small_rbm_config():
    """The tiny config's analysis settings; one experiment, the RBM on MNIST."""
    tiny = yaml.safe_load(TINY.read_text())
    rbm = {"kind": "rbm", "dataset": "mnist", "widths": [16], "epochs": 2, "snapshots": [2]}
    return {
        "data": {"mirrors": [str(SHARED_MNIST)], "download": False},
        "experiments": {"rbm": {**rbm, "n_train": 10_000, "seeds": [0, 1]}},
        "analysis": tiny["analysis"],
        "figures": {f"fig{n}": {"draw": False} for n in range(1, 6)},
    }


def test_the_mnist_rbm_gives_byte_identical_tables_on_a_second_run(tmp_path):
    tables = []
    for run in ("first", "second"):
        (tmp_path / run).mkdir()
        workdir = copy_workflow(tmp_path / run)
        (workdir / "config.yaml").write_text(yaml.safe_dump(small_rbm_config()))
        done = snakemake(workdir, "--cores", "2", *TABLES)
        assert done.returncode == 0, done.stdout
        tables.append(outputs(workdir))
        shutil.rmtree(workdir / "results/downloads", ignore_errors=True)
    first, second = tables
    assert set(TABLES) <= set(first)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
