"""The `scaleinv` console script: `scaleinv fit sizes.txt` fits a power law to your own sizes
and prints what the workflow reports for a layer (fit, p-value, comparisons, evidence class).
Bad input gives one line `scaleinv: error: ...` and exit status 1, and writes nothing."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from scaleinv import __version__
from scaleinv.atomic import atomic_path
from scaleinv.errors import ScaleinvError
from scaleinv.powerlaw import DEFAULTS, Fit, FitWarning, positive_integers
from scaleinv.stats.alternatives import ALTERNATIVES
from scaleinv.stats.powerlaw_fit import SIGNIFICANCE


def read_sizes(path: Path, column: str | None = None):
    """The sizes in `path`: a Parquet file's `column`, or a text file of one integer per line
    (blank lines skipped). A ScaleinvError names the first value that is not an integer >= 1."""
    if not path.is_file():
        raise ScaleinvError(f"{path} does not exist; give a file of sizes")
    if column is not None or path.suffix == ".parquet":
        import polars as pl

        if column is None:
            raise ScaleinvError(f"{path} is Parquet; name the column of sizes with --column")
        try:
            names = pl.read_parquet_schema(path)
        except Exception as error:  # polars raises several types for a file that is not Parquet
            raise ScaleinvError(f"{path} is not a readable Parquet file ({error})") from None
        if column not in names:
            raise ScaleinvError(f"{path} has no column {column!r}; its columns: {list(names)}")
        values = pl.read_parquet(path, columns=[column])[column]
        if values.null_count():
            raise ScaleinvError(f"{path} column {column!r} holds nulls; give a size in every row")
        return positive_integers(values.to_numpy(), f"{path} column {column!r}")
    lines = [
        (number, line.strip())
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if line.strip()
    ]
    for number, text in lines:
        if not (text.isascii() and text.isdigit() and int(text) >= 1):
            raise ScaleinvError(
                f"{path} line {number}: {text!r} is not an integer >= 1; "
                "write one size (the number of inputs sharing a code) per line"
            )
    return positive_integers([int(text) for _, text in lines], str(path))


def _xmin(text: str):
    if text == "auto":
        return text
    if text.isdigit() and int(text) >= 1:
        return int(text)
    raise argparse.ArgumentTypeError(f"'auto' or an integer >= 1 (got {text!r})")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="scaleinv", description=__doc__.split("\n")[0])
    main.add_argument("--version", action="version", version=f"scaleinv {__version__}")
    commands = main.add_subparsers(dest="command", required=True)
    fit = commands.add_parser("fit", help="fit a discrete power law to a file of sizes")
    fit.add_argument("path", type=Path, help="one integer >= 1 per line, or a Parquet file")
    fit.add_argument("--column", help="the Parquet column that holds the sizes")
    fit.add_argument("--xmin", type=_xmin, default="auto", help="'auto' (default) or an integer")
    fit.add_argument("--xmax", type=int, default=None, help="the law's upper end (default none)")
    fit.add_argument(
        "--replicates",
        type=int,
        default=DEFAULTS.bootstrap,
        help=f"bootstrap replicates of the p-value (default {DEFAULTS.bootstrap})",
    )
    fit.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default 0)")
    fit.add_argument("--threads", type=int, default=1, help="bootstrap threads (default 1)")
    fit.add_argument("--plot", type=Path, help="write the CCDF with the fitted law here (.png)")
    return main


def summary(path: Path, fit: Fit, row: dict) -> list[str]:
    """What `scaleinv fit` prints: the fit, the p-value, each comparison and the class."""
    p = row["p_value"]
    judged = "plausible" if p >= SIGNIFICANCE else f"ruled out (p < {SIGNIFICANCE})"
    lines = [
        f"{path}: {len(fit.sample)} sizes, {len(set(fit.sample.tolist()))} distinct",
        f"power law: alpha = {fit.alpha:.4f} +- {fit.se:.4f} (beta = alpha - 1 = {fit.beta:.4f}), "
        f"x_min = {fit.xmin}, x_max = {fit.xmax}, n_tail = {fit.n_tail}, KS D = {fit.D:.4f}",
        *(f"warning: not a power-law fit: {warning}" for warning in fit.warnings),
        f"p-value: {p:.3f} ({row['replicates']} bootstrap replicates, seed {row['seed_used']}):"
        f" power law {judged}",
        "likelihood ratios (R > 0 favours the power law; p: significance of R's sign):",
    ]
    for name in ALTERNATIVES:
        lines.append(f"  {name:<22} R = {row[f'llr_{name}']:9.3f}  p = {row[f'p_{name}']:.3g}")
    lines.append(f"evidence class: {row['evidence']} (the ladder of scaleinv.stats.ladder)")
    return lines


def fit_command(args: argparse.Namespace) -> None:
    sizes = read_sizes(args.path, args.column)
    with warnings.catch_warnings():  # the summary prints them, in its own words
        warnings.simplefilter("ignore", FitWarning)
        fit = Fit(sizes, xmin=args.xmin, xmax=args.xmax)
    row = fit.report(args.replicates, args.seed, args.threads)
    row.update(replicates=args.replicates, seed_used=args.seed)
    if args.plot is not None:
        ax = fit.plot_ccdf()
        ax.set_title(args.path.name)
        with atomic_path(args.plot) as tmp:
            ax.figure.savefig(tmp, format=args.plot.suffix.lstrip(".") or "png", dpi=150)
    print("\n".join(summary(args.path, fit, row)))


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        fit_command(args)
    except ScaleinvError as error:
        print(f"scaleinv: error: {error}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
