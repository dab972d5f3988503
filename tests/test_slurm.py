"""The workflow on a real one-node SLURM cluster through profiles/slurm (see slurm_cluster.py)."""

import re
import shutil
import subprocess
from collections import Counter

import polars as pl
import pytest
import yaml

from conftest import REPO, fashion_mnist_mirror, snakemake
from scaleinv.plan.figures import CONFIGURED
from slurm_cluster import ACCOUNT, PARTITION, Cluster, missing_daemons, skip_reason

pytestmark = [pytest.mark.slow, pytest.mark.snakemake, pytest.mark.slurm]

SUBMITTED = re.compile(
    r"Job \d+ has been submitted with SLURM jobid (\d+) \(log: .*/slurm_logs/rule_([^/]+)/"
)
# The jobs of tests/configs/slurm.yaml that deserve a node, each a SLURM job; the table
# and figure rules (seconds of work) run on the submitting machine as local rules.
EXPECTED_JOBS = Counter(
    {
        "dataset": 1,
        "train_mlp": 1,
        "codes_mlp": 1,
        "kmeans_codes": 1,
        "tsne": 1,
        "degeneracy": 2,
        "information": 2,
        "fits": 2,
    }
)
LOCAL_JOBS = {
    "fits_summary",
    "metrics_summary",
    "claims",
    *(f"figure_{name}" for name in CONFIGURED),
}
LOCAL_HEADER = re.compile(r"^localrule (\w+):$", re.MULTILINE)
# Status checks start one second after submission: the cluster is idle and ours alone.
FAST_STATUS = ("--slurm-init-seconds-before-status-checks", "1")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    if missing_daemons():
        pytest.fail(f"missing {', '.join(missing_daemons())}: run scripts/bootstrap.sh as root")
    cluster = Cluster(tmp_path_factory.mktemp("slurm"))
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def sacct(job_ids):
    """{job id: {field: value}} for SLURM jobs, from the accounting database."""
    fields = ["JobID", "State", "AllocTRES", "Account", "Partition"]
    result = subprocess.run(
        ["sacct", "-n", "-X", "-P", "-j", ",".join(job_ids), "-o", ",".join(fields)],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [dict(zip(fields, line.split("|"), strict=True)) for line in result.stdout.splitlines()]
    return {row["JobID"]: row for row in rows}


def with_site_settings(workdir):
    """The docs' worked example (running.md): the profile with this cluster's partition and account."""
    profile = workdir / "profiles/slurm/profile.yaml"
    settings = yaml.safe_load(profile.read_text())
    settings["default-resources"] = {"slurm_partition": PARTITION, "slurm_account": ACCOUNT}
    profile.write_text(yaml.safe_dump(settings))


def test_tiny_workflow_runs_every_job_under_slurm(cluster, workflow_copy):
    shutil.copy(REPO / "tests/configs/slurm.yaml", workflow_copy / "config.yaml")
    with_site_settings(workflow_copy)
    run = snakemake(workflow_copy, "--workflow-profile", "profiles/slurm", *FAST_STATUS)
    assert run.returncode == 0, run.stdout + cluster.log("slurmctld")[-3000:]

    submitted = dict(SUBMITTED.findall(run.stdout))
    assert Counter(submitted.values()) == EXPECTED_JOBS
    assert set(LOCAL_HEADER.findall(run.stdout)) - {"all"} == LOCAL_JOBS
    accounted = sacct(submitted)
    assert set(accounted) == set(submitted)
    for job_id, rule in submitted.items():
        job = accounted[job_id]
        assert (job["State"], job["Account"], job["Partition"]) == ("COMPLETED", ACCOUNT, PARTITION)
        assert ("gres/gpu=1" in job["AllocTRES"]) == rule.startswith("train_"), (rule, job)

    def allocated(name):
        return accounted[next(j for j, rule in submitted.items() if rule == name)]["AllocTRES"]

    # each rule's threads and memory reach SLURM: training runs on one CPU, k-means on two
    assert "cpu=1," in allocated("train_mlp") and "mem=4000M" in allocated("train_mlp")
    assert "cpu=1," in allocated("fits") and "mem=1000M" in allocated("fits")
    assert "cpu=2," in allocated("kmeans_codes")

    summary = pl.read_csv(workflow_copy / "results/fits/summary.tsv", separator="\t")
    assert sorted(set(summary["experiment"])) == ["kmeans", "mlp"]
    figures = sorted(p.name for p in (workflow_copy / "results/figures").iterdir())
    assert len(figures) == 18 and all(p.endswith((".pdf", ".png")) for p in figures)
    rerun = snakemake(workflow_copy, "--workflow-profile", "profiles/slurm", "-n")
    assert "Nothing to be done" in rerun.stdout, rerun.stdout


def test_a_failing_job_is_reported_failed_by_snakemake_and_slurm(cluster, workflow_copy):
    override = fashion_mnist_mirror(workflow_copy, lambda data: b"not gzip")
    (workflow_copy / "offline.yaml").write_text(yaml.safe_dump(override))
    target = "results/data/fashion_mnist.npz"
    run = snakemake(
        workflow_copy,
        target,
        "--workflow-profile",
        "profiles/slurm",
        *FAST_STATUS,
        "--configfile",
        "offline.yaml",
    )
    assert run.returncode != 0
    submitted = dict(SUBMITTED.findall(run.stdout))
    assert list(submitted.values()) == ["dataset"], run.stdout
    (job_id,) = submitted
    assert f"SLURM-job '{job_id}' failed, SLURM status is: 'FAILED'" in run.stdout, run.stdout
    assert "Error in rule dataset" in run.stdout
    assert "error: dataset fashion_mnist could not be obtained" in run.stdout
    assert sacct([job_id])[job_id]["State"] == "FAILED"
    assert not (workflow_copy / target).exists()
