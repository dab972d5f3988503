"""SIGKILL the whole Snakemake process tree mid-run, at several points, and rerun: no partial
file is ever taken for a finished one, and the final outputs equal an uninterrupted run's.
The kill soak does the same at seeded random times, in a row: SCALEINV_SOAK_KILLS=20 for a
long one (3 unless set)."""

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import (
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
SOAK_KILLS = int(os.environ.get("SCALEINV_SOAK_KILLS", "3"))
SOAK_SEED = 0


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
    kill(process, workdir)


def run_and_kill(workdir, delay):
    """Start or resume a full run and SIGKILL its process group after `delay` seconds;
    False when the run finished first."""
    process = start_run(workdir)
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        kill(process, workdir)
        return True


def kill(process, workdir):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    time.sleep(0.5)  # let the kernel reap the group
    assert survivors(workdir) == [], "a job outlived the kill"


def fresh_tiny_copy(workdir):
    """A new copy of the workflow with the tiny config in `workdir` (which must not exist)."""
    workdir.mkdir(parents=True)
    copy_workflow(workdir)
    (workdir / "config.yaml").write_bytes(TINY.read_bytes())
    return workdir


def run_seconds(workdir):
    """Wall seconds of a finished run: from the first to the last file it wrote."""
    times = [path.stat().st_mtime for path in (workdir / "results").rglob("*") if path.is_file()]
    return max(times) - min(times)


def assert_nothing_partial_is_kept(workdir, reference):
    """Every output a dry run would not redo is finished: it equals the uninterrupted run's."""
    assert snakemake(workdir, "--unlock").returncode == 0
    dry = snakemake(workdir, "-n", "--cores", "2")
    assert dry.returncode == 0, dry.stdout
    redo = outputs_of_jobs(dry.stdout)
    kept = {path: data for path, data in outputs(workdir).items() if path not in redo}
    assert {path: reference[path] for path in kept} == kept
    return redo


def test_killed_runs_resume_to_the_same_bytes(tiny_run, tmp_path):
    reference = outputs(tiny_run)
    workdir = fresh_tiny_copy(tmp_path / "run")
    for stage, (logs, text) in KILL_POINTS.items():
        run_until_killed(workdir, logs, text)
        redo = assert_nothing_partial_is_kept(workdir, reference)
        assert redo and any(Path(path).parts[1] in logs for path in redo), (stage, sorted(redo))
    final = snakemake(workdir, "--cores", "2")
    assert final.returncode == 0, final.stdout
    assert outputs(workdir) == reference
    assert not list((workdir / "results").rglob(".*.tmp"))


def test_seeded_random_kills_resume_to_the_same_bytes(tiny_run, tmp_path):
    """The kill soak: SOAK_KILLS kills in a row at seeded random times, spread over about
    one run; a run that finishes before its kill starts over in a fresh copy, so every kill
    lands mid-run. After each, nothing partial is kept; at the end the outputs are the
    uninterrupted run's."""
    reference = outputs(tiny_run)
    latest = 2 * run_seconds(tiny_run) / SOAK_KILLS + 3  # a kill every ~run / SOAK_KILLS
    draw = random.Random(SOAK_SEED)
    workdir, kills, restarts = fresh_tiny_copy(tmp_path / "soak0"), 0, 0
    while kills < SOAK_KILLS:
        if run_and_kill(workdir, draw.uniform(0.5, latest)):
            kills += 1
            assert_nothing_partial_is_kept(workdir, reference)
        else:
            restarts += 1
            assert restarts <= SOAK_KILLS, "runs keep finishing before their kill"
            workdir = fresh_tiny_copy(tmp_path / f"soak{restarts}")
    final = snakemake(workdir, "--cores", "2")
    assert final.returncode == 0, final.stdout
    assert outputs(workdir) == reference
