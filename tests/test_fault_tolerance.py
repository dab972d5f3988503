"""SIGKILL the whole Snakemake process tree mid-run, at several points, and rerun: no partial
file is ever taken for a finished one, and the final outputs equal an uninterrupted run's."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import (
    REPO,
    TINY,
    copy_workflow,
    outputs,
    outputs_of_jobs,
    snakemake,
    start_run,
    survivors,
)

pytestmark = [pytest.mark.slow, pytest.mark.snakemake]

# Kill points: the first line that shows a job of each stage at work. A training log line
# is written once the model is built, before its first epoch; the codes and fits logs are
# opened as their scripts start.
KILL_POINTS = {
    "training": ("results/logs/train", "trained together"),
    "code extraction": ("results/logs/codes", ""),
    "fitting": ("results/logs/fits", ""),
}


def started(workdir, logs, text, since):
    """Whether a log under `logs`, written since `since`, shows `text`."""
    return any(
        log.stat().st_mtime >= since and text in log.read_text()
        for log in (workdir / logs).rglob("*.log")
    )


def run_until_killed(workdir, logs, text, timeout=300):
    """Start a full run and SIGKILL its process group once a log under `logs` shows `text`."""
    since = time.time()
    process = start_run(workdir)
    deadline = time.monotonic() + timeout
    while not started(workdir, logs, text, since):
        assert process.poll() is None, f"the run ended before {logs} showed {text!r}"
        assert time.monotonic() < deadline, f"no {logs} log showed {text!r}"
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    time.sleep(0.5)
    assert survivors(workdir) == [], "a job outlived the kill"


def assert_nothing_partial_is_kept(workdir, reference):
    """Every output a dry run would not redo is finished: it equals the uninterrupted run's."""
    assert snakemake(workdir, "--unlock").returncode == 0
    dry = snakemake(workdir, "-n", "--cores", "2")
    assert dry.returncode == 0, dry.stdout
    redo = outputs_of_jobs(dry.stdout)
    assert redo, "a killed run must leave work to do"
    kept = {path: data for path, data in outputs(workdir).items() if path not in redo}
    assert {path: reference[path] for path in kept} == kept
    return redo


def test_killed_runs_resume_to_the_same_bytes(tiny_run, tmp_path):
    reference = outputs(tiny_run)
    workdir = copy_workflow(tmp_path)
    (workdir / "config.yaml").write_bytes(TINY.read_bytes())
    for stage, (logs, text) in KILL_POINTS.items():
        run_until_killed(workdir, logs, text)
        redo = assert_nothing_partial_is_kept(workdir, reference)
        assert any(Path(path).parts[1] in logs for path in redo), (stage, sorted(redo))
    final = snakemake(workdir, "--cores", "2")
    assert final.returncode == 0, final.stdout
    assert outputs(workdir) == reference
    assert not list((workdir / "results").rglob(".*.tmp"))


def test_the_kill_soak_recovers_from_three_seeded_kills():
    soak = subprocess.run(
        [sys.executable, "benchmarks/soak_kill.py", "--kills", "3", "--seed", "0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert soak.returncode == 0, soak.stdout + soak.stderr
    last = soak.stdout.splitlines()[-1]
    assert last == "kills 3 recovered 3 differing 0 corrupt-accepted 0", soak.stdout
