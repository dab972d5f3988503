"""Profiles of the two jobs that dominate the analysis: a fits job (`fits_table` of a
degeneracy table, fixed against sequential p-values) and a code job (torch's import, then
`write_network_codes` of one snapshot), each as its top functions and their shares of the
job's time.

    .venv/bin/python benchmarks/bench_profile.py fits results/degeneracy/mlp.parquet
    .venv/bin/python benchmarks/bench_profile.py codes mlp 0 15   # experiment, seed, epoch
"""

import argparse
import cProfile
import pstats
import tempfile
import time
from dataclasses import replace
from pathlib import Path

TOP = 12  # functions listed per profile


def top_functions(profile, total, top=TOP):
    """The `top` functions by cumulative time, as 'share  seconds  function' lines, leaving
    out the profiler's own wrappers."""
    stats = pstats.Stats(profile)
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][3])  # (cc, nc, tt, ct, callers)
    lines = []
    for (file, line, name), (_, _, _, cumulative, _) in rows:
        if name.startswith("<") or "profile" in file or "bench_profile" in file:
            continue
        where = f"{Path(file).parent.name}/{Path(file).name}:{line}({name})"
        lines.append(f"{cumulative / total:6.1%} {cumulative:8.2f} s  {where}")
        if len(lines) == top:
            break
    return lines


def profiled(call):
    """(seconds, top functions) of call()."""
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.runcall(call)
    seconds = time.perf_counter() - start
    return seconds, top_functions(profile, seconds)


def profile_fits(path):
    """A fits job under the default settings, fixed then sequential p-values."""
    from scaleinv.analysis.degeneracy import read_degeneracy
    from scaleinv.analysis.fits import fits_table
    from scaleinv.stats.layer import FitSettings

    frame = read_degeneracy(path)
    default = FitSettings()
    for name, settings in (("fixed", replace(default, sequential=False)), ("sequential", default)):
        seconds, lines = profiled(lambda settings=settings: fits_table(frame, settings, threads=2))
        print(f"fits job, {name} p-values: {seconds:.1f} s")
        print("\n".join(lines))


def profile_codes(experiment_name, seed, epoch):
    """A code job as the rule runs it: torch imported, then one snapshot's codes written."""
    start = time.perf_counter()
    import torch  # noqa: F401  (what every code job pays first)

    print(f"import torch: {time.perf_counter() - start:.1f} s")
    from common import REPO, dataset_path, experiment_of

    from scaleinv.learn.network_codes import write_network_codes

    experiment = experiment_of(experiment_name)
    snapshot = REPO / f"results/train/{experiment_name}/seed{seed}/epoch{epoch}.pt"
    with tempfile.TemporaryDirectory() as folder:
        seconds, lines = profiled(
            lambda: write_network_codes(
                experiment=experiment,
                seed=seed,
                epoch=epoch,
                threads=1,
                dataset_path=dataset_path(experiment),
                snapshot_path=snapshot,
                codes_path=Path(folder) / "codes.parquet",
            )
        )
    print(f"code job after the import: {seconds:.1f} s")
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("job", choices=["fits", "codes"])
    parser.add_argument("what", nargs="+", help="fits: a degeneracy table; codes: name seed epoch")
    args = parser.parse_args()
    if args.job == "fits":
        profile_fits(args.what[0])
    else:
        profile_codes(args.what[0], int(args.what[1]), int(args.what[2]))


if __name__ == "__main__":
    main()
