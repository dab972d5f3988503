"""Kill soak: SIGKILL the whole workflow at random points, resume, compare every output.

Runs the tiny config (tests/configs/tiny.yaml) once uninterrupted in a scratch copy of the
workflow (the reference), then, in a second copy, N times starts or resumes the run and
kills its whole process group after a random delay. After each kill it checks that no
process survived, unlocks, and asks a dry run what Snakemake would redo: every output it
would keep must equal the reference byte for byte (one that does not was a partial or
corrupt file accepted as finished). When a run finishes before its kill, the copy starts
over, so every kill lands mid-run. Finally it completes the run and compares every output
(logs and benchmarks aside) with the reference. The last line reads

    kills N recovered R differing D corrupt-accepted C

R: kills after which the workflow unlocked and planned its resumption; D: outputs whose
final bytes differ from the reference (or are missing or extra); C: finished-looking
outputs that were not the reference's after a kill. A sound workflow gives R = N, D = C = 0.

    .venv/bin/python benchmarks/soak_kill.py --kills 20 --seed 1
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from conftest import (  # noqa: E402
    TINY,
    copy_workflow,
    outputs,
    outputs_of_jobs,
    start_run,
    survivors,
)


def snakemake(workdir, *args):
    return subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )


def fresh_copy(workdir):
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    copy_workflow(workdir)
    shutil.copy(TINY, workdir / "config.yaml")
    return workdir


def run_and_kill(workdir, delay):
    """Start or resume the run; SIGKILL its process group after `delay` seconds. Returns
    False when the run finished first (nothing was killed)."""
    process = start_run(workdir)
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        time.sleep(0.5)  # let the kernel reap the group
        return True


def check_after_kill(workdir, reference):
    """(recovered, corrupt-accepted outputs) after a kill."""
    if survivors(workdir):
        print(f"  processes survived the kill: {survivors(workdir)}")
        return False, 0
    if snakemake(workdir, "--unlock").returncode != 0:
        return False, 0
    dry = snakemake(workdir, "-n", "--cores", "2")
    if dry.returncode != 0:
        print(f"  dry run failed:\n{dry.stdout[-2000:]}{dry.stderr[-2000:]}")
        return False, 0
    redo = outputs_of_jobs(dry.stdout)
    kept = {path: data for path, data in outputs(workdir).items() if path not in redo}
    corrupt = sorted(path for path, data in kept.items() if reference.get(path) != data)
    for path in corrupt:
        print(f"  accepted as finished but not the reference's: {path}")
    return True, len(corrupt)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    draw = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="soak-") as scratch:
        scratch = Path(scratch)
        start = time.monotonic()
        reference_dir = fresh_copy(scratch / "reference")
        done = snakemake(reference_dir, "--cores", "2")
        if done.returncode != 0:
            sys.exit(f"the uninterrupted run failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        seconds = time.monotonic() - start
        reference = outputs(reference_dir)
        print(f"reference: {len(reference)} outputs in {seconds:.0f} s")
        workdir = fresh_copy(scratch / "soak")
        kills = recovered = corrupt = restarts = 0
        while kills < args.kills:
            # Spread the kills over about one run: a kill every ~seconds / kills on average.
            delay = draw.uniform(0.5, 2 * seconds / args.kills + 3)
            if not run_and_kill(workdir, delay):
                restarts += 1
                fresh_copy(workdir)
                continue
            kills += 1
            ok, bad = check_after_kill(workdir, reference)
            recovered += ok
            corrupt += bad
            print(f"kill {kills} after {delay:.1f} s: recovered {ok}, corrupt-accepted {bad}")
        final = snakemake(workdir, "--cores", "2")
        found = outputs(workdir) if final.returncode == 0 else {}
        differing = sorted(
            path for path in set(reference) | set(found) if reference.get(path) != found.get(path)
        )
        for path in differing:
            print(f"  differs from the reference: {path}")
        print(f"{restarts} runs finished before their kill and started over")
        counts = f"recovered {recovered} differing {len(differing)} corrupt-accepted {corrupt}"
        print(f"kills {kills} {counts}")


if __name__ == "__main__":
    main()
