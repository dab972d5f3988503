"""The per-layer tables of docs/the-papers-data.md (issue 34) from finished runs' fits.

For each run directory and each experiment's hidden layers on the training split (at the
experiment's last snapshot, or at every snapshot with --all-epochs), one Markdown row:
distinct codes (median and range over seeds), beta (mean over seeds with a 95 % t
interval; one seed: its own +-1.96 se), the evidence class held by most seeds
(`analysis.nulls.summary`, as the claims and results/fits/comparison.tsv read it) and in
how many, the CSN tail test's passes (p >= 0.1) and the whole-range test's passes.
Usage:
    .venv/bin/python benchmarks/paper_data_tables.py /tmp/paper/results [more results dirs]
"""

import argparse
from pathlib import Path

import numpy as np
import polars as pl

from scaleinv.analysis.nulls import interval, summary

LEVEL = 0.1  # CSN's plausibility level (claims: p >= 0.1)


def rows(results, experiments=None, all_epochs=False):
    for path in sorted((results / "fits").glob("*.parquet")):
        fits = pl.read_parquet(path).filter(pl.col("split") == "train", pl.col("layer") != "x")
        if fits.height == 0 or (experiments and path.stem not in experiments):
            continue
        epochs = sorted(set(fits["epoch"])) if all_epochs else [fits["epoch"].max()]
        for epoch in epochs:
            at = fits.filter(pl.col("epoch") == epoch)
            for layer in sorted(set(at["layer"])):
                seeds = at.filter(pl.col("layer") == layer).sort("seed")
                yield describe(path.stem, epoch, layer, seeds)


def describe(experiment, epoch, layer, seeds):
    row = summary(seeds)
    ok = seeds.filter(pl.col("status") == "ok")
    beta = interval(ok["beta"], ok["beta"] - 1.96 * ok["se"], ok["beta"] + 1.96 * ok["se"])
    distinct = seeds["distinct"]
    # `strongest` is a layer's (>= 90 % of its seeds strong), never a seed's class
    held = (seeds["evidence"] == "strong").sum() if row["evidence"] == "strongest" else row["held"]
    n = seeds.height
    return {
        "experiment": experiment,
        "dataset": seeds["dataset"][0],
        "epoch": epoch,
        "layer": layer,
        "distinct": f"{int(distinct.median()):,} ({distinct.min():,}-{distinct.max():,})",
        "beta": "-" if np.isnan(beta[0]) else f"{beta[0]:.2f} [{beta[1]:.2f}, {beta[2]:.2f}]",
        "evidence": f"{row['evidence']} ({held}/{n})",
        "csn": f"{int((seeds['p_value'].fill_null(0) >= LEVEL).sum())}/{n}",
        "whole": f"{int((seeds['p_whole'].fill_null(0) >= LEVEL).sum())}/{n}",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", type=Path)
    parser.add_argument("--experiments", nargs="*", help="only these (default: all)")
    parser.add_argument("--all-epochs", action="store_true")
    args = parser.parse_args()
    header = ["experiment", "dataset", "epoch", "layer", "distinct", "beta", "evidence"]
    header += ["csn", "whole"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for results in args.results:
        for row in rows(results, args.experiments, args.all_epochs):
            print("| " + " | ".join(str(row[k]) for k in header) + " |")


if __name__ == "__main__":
    main()
