"""Job seconds per workflow stage from two runs' `results/benchmarks/` (two checkouts, or one
checkout under two settings), side by side: the per-stage ratios before/after, and a last
line `ratio <before/after>` over the analysis stages.

    .venv/bin/python benchmarks/bench_workflow.py BEFORE_RESULTS AFTER_RESULTS

A stage is the first folder under results/benchmarks/ (the rule family: train, codes,
degeneracy, fits, ...). Job seconds are Snakemake's `s` column (a job's wall time) summed
over the stage's jobs; `cpu_time` is summed beside it, since on a shared machine a job's wall
time grows with the load and its CPU seconds much less.
"""

import argparse
from pathlib import Path

import polars as pl

ANALYSIS = ("codes", "degeneracy", "information", "fits", "scaling")  # issue 23's stages


def stage_seconds(results):
    """{stage: (job seconds, CPU seconds, jobs)} of one run's results folder."""
    totals = {}
    for path in sorted(Path(results, "benchmarks").rglob("*.tsv")):
        stage = path.relative_to(Path(results, "benchmarks")).parts[0]
        frame = pl.read_csv(path, separator="\t", null_values=["-", "NA"])
        seconds, cpu, jobs = totals.get(stage, (0.0, 0.0, 0))
        cpu_time = frame["cpu_time"].fill_null(0).sum() if "cpu_time" in frame.columns else 0
        totals[stage] = (seconds + float(frame["s"].sum()), cpu + float(cpu_time), jobs + 1)
    return totals


def ratio(before, after):
    return before / after if after else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="results folder of the run before")
    parser.add_argument("after", help="results folder of the run after")
    args = parser.parse_args()
    before, after = stage_seconds(args.before), stage_seconds(args.after)
    print(f"{'stage':<14}{'jobs':>11}{'job s before':>14}{'after':>9}{'ratio':>7}{'cpu ratio':>11}")
    for stage in sorted(before.keys() | after.keys()):
        (b, b_cpu, b_jobs), (a, a_cpu, a_jobs) = (
            run.get(stage, (0.0, 0.0, 0)) for run in (before, after)
        )
        jobs = f"{b_jobs}/{a_jobs}"
        print(
            f"{stage:<14}{jobs:>11}{b:>14.1f}{a:>9.1f}{ratio(b, a):>7.2f}"
            f"{ratio(b_cpu, a_cpu):>11.2f}"
        )
    totals = [
        sum(run.get(stage, (0.0, 0.0, 0))[column] for stage in ANALYSIS)
        for run in (before, after)
        for column in (0, 1)
    ]
    print(f"analysis stages ({', '.join(ANALYSIS)}): {totals[0]:.1f} s -> {totals[2]:.1f} s")
    print(f"cpu ratio {ratio(totals[1], totals[3]):.2f}")
    print(f"ratio {ratio(totals[0], totals[2]):.2f}")


if __name__ == "__main__":
    main()
