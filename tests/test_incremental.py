"""Only stale nodes rerun: real Snakemake reruns on copies of a complete tiny run, each
asserting the exact set of jobs (named by their outputs) that ran."""

import os
import shutil

import pytest
import yaml

from conftest import outputs_of_jobs, snakemake

pytestmark = [pytest.mark.slow, pytest.mark.snakemake]

# Every figure and table that reads the `ae` experiment of the tiny config: fig1 and ccdf
# draw rbm, mlp and ae; the fits and relevance_resolution figures draw every experiment;
# the claims table rates fig1's experiments. The null comparison reads only networks with
# null codes and those nulls (mlp and its two in tiny.yaml), so not ae.
AE_DOWNSTREAM = {
    "results/degeneracy/ae.parquet": "degeneracy",
    "results/information/ae.parquet": "information",
    "results/fits/ae.parquet": "fits",
    "results/fits/summary.tsv": "fits_summary",
    "results/figures/fig1.pdf": "figure_fig1",
    "results/figures/fig1.png": "figure_fig1",
    "results/figures/fits.pdf": "figure_fits",
    "results/figures/fits.png": "figure_fits",
    "results/figures/relevance_resolution.pdf": "figure_relevance_resolution",
    "results/figures/relevance_resolution.png": "figure_relevance_resolution",
    "results/figures/ccdf.pdf": "figure_ccdf",
    "results/figures/ccdf.png": "figure_ccdf",
    "results/claims.tsv": "claims",
}


def edit_config(workdir, edit):
    config = yaml.safe_load((workdir / "config.yaml").read_text())
    edit(config)
    (workdir / "config.yaml").write_text(yaml.safe_dump(config))


def rerun(workdir):
    """Run to completion; returns {output: rule} of the jobs that ran."""
    run = snakemake(workdir, "--cores", "2")
    assert run.returncode == 0, run.stdout
    ran = outputs_of_jobs(run.stdout)
    assert "Nothing to be done" in snakemake(workdir, "-n", "--cores", "1").stdout
    return ran


def test_a_complete_run_has_nothing_to_do(tiny_run_copy):
    run = snakemake(tiny_run_copy, "--cores", "2")
    assert run.returncode == 0 and "Nothing to be done" in run.stdout, run.stdout
    assert outputs_of_jobs(run.stdout) == {}


def test_one_figures_setting_reruns_only_that_figure(tiny_run_copy):
    pdf = (tiny_run_copy / "results/figures/fig2.pdf").read_bytes()
    edit_config(
        tiny_run_copy, lambda config: config["figures"].setdefault("fig2", {}).update(width=9)
    )
    assert rerun(tiny_run_copy) == {
        "results/figures/fig2.pdf": "figure_fig2",
        "results/figures/fig2.png": "figure_fig2",
    }
    assert (tiny_run_copy / "results/figures/fig2.pdf").read_bytes() != pdf


def test_more_epochs_rerun_that_experiments_chain_and_what_reads_it(tiny_run_copy):
    def train_ae_one_epoch_longer(config):
        config["experiments"]["ae"].update(epochs=3, snapshots=[3])

    edit_config(tiny_run_copy, train_ae_one_epoch_longer)
    assert rerun(tiny_run_copy) == {
        "results/train/ae/seed0/epoch3.pt": "train_ae",
        "results/train/ae/seed0/metrics.parquet": "train_ae",
        "results/train/metrics.tsv": "metrics_summary",  # the new metrics of ae
        "results/codes/ae/seed0/epoch3.parquet": "codes_ae",
        **AE_DOWNSTREAM,
    }


def test_touching_inputs_without_changing_them_reruns_nothing(tiny_run_copy):
    for path in (
        "results/data/digits.npz",
        "results/train/ae/seed0/epoch2.pt",
        "results/codes/mlp/seed0/epoch3.parquet",
        "results/degeneracy/ae.parquet",
        "results/fits/rbm.parquet",
    ):
        os.utime(tiny_run_copy / path)
    run = snakemake(tiny_run_copy, "--cores", "2")
    assert run.returncode == 0 and "Nothing to be done" in run.stdout, run.stdout


def test_an_input_with_new_content_reruns_what_reads_it(tiny_run_copy):
    """The content check is not blind: other bytes under the same name are stale."""
    shutil.copy(
        tiny_run_copy / "results/codes/rbm/seed0/epoch2.parquet",
        tiny_run_copy / "results/codes/ae/seed0/epoch2.parquet",
    )
    assert outputs_of_jobs(snakemake(tiny_run_copy, "-n", "--cores", "1").stdout) == AE_DOWNSTREAM


def test_reruns_on_a_changed_setting_rest_on_snakemakes_metadata(tiny_run_copy):
    """As the docs say (running.md): with .snakemake/metadata a changed lr reruns that training;
    results copied without it rerun nothing until forced."""
    edit_config(tiny_run_copy, lambda config: config["experiments"]["ae"].update(lr=0.01))
    planned = snakemake(tiny_run_copy, "-n", "--cores", "1")
    assert "results/train/ae/seed0/metrics.parquet" in outputs_of_jobs(planned.stdout)
    shutil.rmtree(tiny_run_copy / ".snakemake/metadata")
    copied = snakemake(tiny_run_copy, "-n", "--cores", "1")
    assert "Nothing to be done" in copied.stdout, copied.stdout
    forced = snakemake(tiny_run_copy, "-n", "--cores", "1", "-R", "train_ae")
    assert "results/train/ae/seed0/metrics.parquet" in outputs_of_jobs(forced.stdout)


def test_a_seed_joins_its_block_and_only_that_block_retrains(tiny_run_copy):
    """Seeds train together in fixed blocks of `ensemble` (8): seed 8 starts a block of
    its own; seed 1 joins seed 0, whose company, and with it (by rounding) its network,
    changes, so block 0 retrains and seed 0's codes are redone (docs, "Seeds trained
    together")."""

    def planned_training(seeds):
        edit_config(tiny_run_copy, lambda config: config["experiments"]["ae"].update(seeds=seeds))
        planned = outputs_of_jobs(snakemake(tiny_run_copy, "-n", "--cores", "1").stdout)
        return planned, {o: rule for o, rule in planned.items() if rule.startswith("train_")}

    planned, training = planned_training([0, 8])
    assert training == {
        "results/train/ae/seed8/epoch2.pt": "train_ae_block1",
        "results/train/ae/seed8/metrics.parquet": "train_ae_block1",
    }
    assert "results/codes/ae/seed0/epoch2.parquet" not in planned
    planned, training = planned_training([0, 1])
    assert training == {
        f"results/train/ae/seed{seed}/{name}": "train_ae"
        for seed in (0, 1)
        for name in ("epoch2.pt", "metrics.parquet")
    }
    assert planned["results/codes/ae/seed0/epoch2.parquet"] == "codes_ae"
