"""A config's training stage with seeds trained together vs one job per seed: wall time
and job seconds of both, timed in this run (docs, "Seeds trained together").

Runs `snakemake --until <every train_* rule>` twice, each in a fresh copy of this
workflow under --workdir: as configured, then with `ensemble: 1` for every trained
experiment (sweep points inherit it). results/data and results/ising of this checkout
are copied in where present, so both sides spend their time training. Prints, per experiment (sweep
points summed), the job seconds of both sides, then both walls and last `ratio
<one job per seed/together>` (wall). The robustness config takes about 50 min on 2 cores:
    .venv/bin/python benchmarks/bench_robustness.py --workdir /tmp/bench \
        [--configfile workflow/configs/robustness.yaml] [--cores 2]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml
from common import REPO, copy_workflow

from scaleinv.plan.kinds import KINDS

# Training's inputs. Snakemake may remake them (their metadata stays behind): 30 s for
# robustness.yaml here, the same on both sides.
INPUTS = ("results/data", "results/ising")


def one_job_per_seed(configfile):
    """Config overlay: `ensemble: 1` for every trained experiment of config.yaml and
    `configfile`."""
    experiments = yaml.safe_load((REPO / "config.yaml").read_text())["experiments"]
    if configfile:
        for name, edit in (yaml.safe_load(configfile.read_text()).get("experiments") or {}).items():
            experiments[name] = {**experiments.get(name, {}), **edit}
    return {
        "experiments": {
            name: {"ensemble": 1}
            for name, experiment in experiments.items()
            if KINDS[experiment["kind"]].trains
        }
    }


def fresh_copy(destination):
    """This workflow and the inputs of its training, copied to `destination`."""
    destination.mkdir()
    copy_workflow(destination)
    for name in INPUTS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, destination / name, symlinks=True)


def training_stage(workdir, configfiles, cores):
    """(wall seconds, {experiment: job seconds}) of every training job of the config."""
    command = [sys.executable, "-m", "snakemake", "--cores", str(cores)]
    command += ["--configfile", *map(str, configfiles)] if configfiles else []
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    listed = subprocess.run([*command, "--list-rules"], cwd=workdir, env=environment,
                            capture_output=True, text=True, check=True)  # fmt: skip
    rules = [rule for rule in listed.stdout.split() if rule.startswith("train_")]
    start = time.perf_counter()
    with open(workdir / "bench.log", "w") as log:
        subprocess.run([*command, "--until", *rules], cwd=workdir, env=environment,
                       stdout=log, stderr=subprocess.STDOUT, check=True)  # fmt: skip
    wall = time.perf_counter() - start
    seconds = defaultdict(float)
    for table in (workdir / "results/benchmarks/train").glob("*/*.tsv"):
        # ising_ae_T2.26, mlp_width.width3=4, ising_width.width1=8_T2.0: the experiment's name
        experiment = re.sub(r"_T[0-9.]+$", "", table.parent.name).split(".")[0]
        seconds[experiment] += float(table.read_text().splitlines()[1].split("\t")[0])
    return wall, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, required=True, help="an empty or new folder")
    parser.add_argument("--configfile", default=str(REPO / "workflow/configs/robustness.yaml"),
                        help="layered over config.yaml; '' for config.yaml alone")  # fmt: skip
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()
    configfile = Path(args.configfile).resolve() if args.configfile else None
    args.workdir.mkdir(parents=True, exist_ok=True)
    overlay = args.workdir / "one_job_per_seed.yaml"
    overlay.write_text(yaml.safe_dump(one_job_per_seed(configfile)))
    base = [configfile] if configfile else []
    results = {}
    for side, configfiles in {"together": base, "one job per seed": [*base, overlay]}.items():
        workdir = args.workdir / side.replace(" ", "_")
        fresh_copy(workdir)
        results[side] = training_stage(workdir, configfiles, args.cores)
    (together_wall, together), (alone_wall, alone) = results.values()
    print(f"{'experiment':<16} {'together s':>11} {'alone s':>9} {'ratio':>6}")
    for experiment in sorted(alone, key=alone.get, reverse=True):
        pair = together[experiment], alone[experiment]
        print(f"{experiment:<16} {pair[0]:11.1f} {pair[1]:9.1f} {pair[1] / pair[0]:6.2f}")
    print(f"{'job seconds':<16} {sum(together.values()):11.1f} {sum(alone.values()):9.1f} "
          f"{sum(alone.values()) / sum(together.values()):6.2f}")  # fmt: skip
    print(f"wall: together {together_wall:.0f} s, one job per seed {alone_wall:.0f} s")
    print(f"ratio {alone_wall / together_wall:.2f}")


if __name__ == "__main__":
    main()
