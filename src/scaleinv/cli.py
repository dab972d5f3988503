"""The `scaleinv` console script: `scaleinv fit sizes.txt` fits a power law to your own sizes
and prints the fit, the bootstrap p-value, the likelihood-ratio tests against rivals and,
with --evidence, what the workflow reports for a layer (evidence class, effect sizes).
Bad input gives one line `scaleinv: error: ...` and exit status 1, and writes nothing."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from scaleinv import __version__
from scaleinv.atomic import atomic_path
from scaleinv.errors import ScaleinvError
from scaleinv.inputs import regular_file
from scaleinv.powerlaw import DEFAULTS, MAX_REPLICATES, Fit, FitWarning, PValue
from scaleinv.size_files import LINE_QUOTE, read_sizes
from scaleinv.stats.alternatives import ALTERNATIVES
from scaleinv.stats.powerlaw_fit import SIGNIFICANCE
from scaleinv.stats.sample import LARGEST

DECADES_WARNED = 2  # an --xmax fewer decades above x_min than this gets a warning line
# --plot formats whose writer runs a program matplotlib does not ship (-> what it runs);
# ps and eps need Ghostscript only with rcParams ps.usedistiller or text.usetex set.
EXTERNAL = {"pgf": "LaTeX (xelatex)"}
EPILOG = f"""what it prints (stdout; --json: one JSON object with the same numbers):
  the sample (sizes, distinct sizes); the power law (alpha +- its standard error,
  beta = alpha - 1, x_min, x_max, n_tail, the KS distance D); any warning that the numbers
  are no power-law fit; the bootstrap p-value with its 95 % Monte Carlo interval and the
  replicates drawn (sequential: it stops once p < {SIGNIFICANCE} or p >= {SIGNIFICANCE} is
  settled at resampling risk {DEFAULTS.resampling_risk:g}; --replicates is its most); the
  likelihood ratio R against each rival (R > 0 favours the power law), CSN's normalised
  ratio R/(sigma sqrt n) and p; with --evidence, the evidence class and effect sizes of
  the workflow's fits table (slower: bootstraps of the curvature and tail indices).
  Progress lines go to stderr (--progress; by default when it is a terminal).

input: one integer >= 1 per line (blank lines skipped; a first line that is a name is a
  header); a CSV or TSV file (.csv, .tsv, or a tab, comma or semicolon in the first line;
  quoted fields read) with --column NAME or NUMBER; a Parquet file with --column (needs
  scaleinv[tables]).

exit status: 0 fitted; 1 bad input or a sample with no fit (one line on stderr, no figure
  written); 2 a bad option; 130 interrupted.
"""


def check_plot(plot: Path, inputs: Path) -> str:
    """The format to write `plot` in, after checking, before any fit, that it can be written:
    not the input, in an existing writable folder, not a directory or special file, with a
    suffix matplotlib writes, and matplotlib installed."""
    if plot.exists() and inputs.exists() and plot.resolve() == inputs.resolve():
        raise ScaleinvError(f"--plot {plot} is the input file; give another path for the figure")
    if plot.is_dir():
        raise ScaleinvError(f"--plot {plot} is a directory; give a file name such as ccdf.png")
    if plot.exists() and not plot.is_file():
        try:
            regular_file(plot)
        except ScaleinvError as error:  # says what it is
            raise ScaleinvError(f"--plot {error}") from None
    folder = plot.parent
    if not folder.is_dir():
        there = next((up for up in (folder, *folder.parents) if up.exists()), None)
        if there is not None and not there.is_dir():
            raise ScaleinvError(
                f"--plot {plot}: {there} is a file, not a folder; give a path in a folder"
            )
        raise ScaleinvError(f"--plot {plot}: its folder {folder} does not exist; create it first")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ScaleinvError(f"--plot {plot}: its folder {folder} is not writable")
    try:
        from matplotlib.backend_bases import FigureCanvasBase
    except ImportError:
        raise ScaleinvError(
            "--plot needs matplotlib, which is not installed; pip install 'scaleinv[plots]'"
        ) from None
    formats = sorted(set(FigureCanvasBase.get_supported_filetypes()) - set(EXTERNAL))
    suffix = plot.suffix.lstrip(".").lower()
    if suffix in EXTERNAL:
        raise ScaleinvError(
            f"--plot {plot}: matplotlib writes .{suffix} through {EXTERNAL[suffix]}, which "
            f"is not checked before the fit; end the name with one of .{', .'.join(formats)}"
        )
    if suffix not in formats:
        raise ScaleinvError(
            f"--plot {plot}: matplotlib writes no {plot.suffix or 'suffix-less'} file; end the "
            f"name with one of .{', .'.join(formats)}"
        )
    return suffix


def _integer(text: str) -> int | None:
    """`text` (an optional sign, ASCII digits, leading zeros allowed) as an integer, one
    beyond +-LARGEST standing for any larger (int() refuses 4,300 digits); None if it is
    none. One range check on the value then serves every length of text."""
    body = text.strip()
    sign = -1 if body.startswith("-") else 1
    body = body[1:] if body.startswith(("-", "+")) else body
    if not (body.isascii() and body.isdigit()):
        return None
    body = body.lstrip("0") or "0"
    return sign * (int(body) if len(body) <= 19 else LARGEST + 1)


def _count(minimum: int, maximum: int) -> Any:
    """An argparse type: an integer in [minimum, maximum]."""

    def parse(text: str) -> int:
        value = _integer(text)
        if value is None:
            raise argparse.ArgumentTypeError(f"not an integer (got {text[:LINE_QUOTE]!r})")
        if not minimum <= value <= maximum:
            shown = value if abs(value) <= LARGEST else repr(text[:LINE_QUOTE])
            raise argparse.ArgumentTypeError(
                f"must be >= {minimum} and <= {maximum:,} (got {shown})"
            )
        return value

    return parse


def _xmin(text: str) -> str | int:
    if text == "auto":
        return text
    value = _integer(text)
    if value is not None and 1 <= value <= LARGEST:
        return value
    raise argparse.ArgumentTypeError(
        f"'auto' or an integer in [1, 2^63 - 1] (got {text[:LINE_QUOTE]!r})"
    )


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="scaleinv", description=__doc__.split("\n")[0])
    main.add_argument("--version", action="version", version=f"scaleinv {__version__}")
    commands = main.add_subparsers(dest="command", required=True)
    fit = commands.add_parser(
        "fit",
        help="fit a discrete power law to a file of sizes",
        description="Fit a discrete power law (Clauset, Shalizi & Newman 2009) to a file of "
        "sizes: x_min by the KS distance, alpha by maximum likelihood, the bootstrap "
        "p-value and likelihood-ratio tests against four rivals.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fit.add_argument("path", type=Path, help="a text, CSV, TSV or Parquet file of sizes")
    fit.add_argument("--column", help="the CSV/TSV/Parquet column of sizes: a name or a number")
    fit.add_argument(
        "--xmin", type=_xmin, default="auto", help="'auto' (default: by the KS distance) or N"
    )
    fit.add_argument(
        "--xmax", type=_count(1, LARGEST), default=None, help="the law's upper end (default none)"
    )
    fit.add_argument(
        "--replicates",
        type=_count(1, MAX_REPLICATES),
        default=DEFAULTS.bootstrap,
        help=f"most bootstrap replicates of the p-value (default {DEFAULTS.bootstrap})",
    )
    fit.add_argument(
        "--seed", type=_count(0, LARGEST), default=0, help="seed of the bootstrap (default 0)"
    )
    fit.add_argument(
        "--threads", type=_count(1, 1024), default=1, help="bootstrap threads (default 1)"
    )
    fit.add_argument(
        "--evidence",
        action="store_true",
        help="also the workflow's evidence class and effect sizes (slower)",
    )
    fit.add_argument("--json", action="store_true", help="print one JSON object instead")
    fit.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress lines on stderr (default: when stderr is a terminal)",
    )
    fit.add_argument("--plot", type=Path, help="write the CCDF with the fitted law here (.png)")
    return main


def summary(source: str, fit: Fit, p: PValue, row: dict[str, Any] | None) -> list[str]:
    """What `scaleinv fit` prints: the fit, the p-value, each comparison and, with
    --evidence, the class."""
    judged = "plausible" if p >= SIGNIFICANCE else f"ruled out (p < {SIGNIFICANCE})"
    test = "sequential test: stopped once settled" if p.sequential else "fixed test"
    low, high = p.interval
    lines = [
        f"{source}: {len(fit.sample):,} sizes, {_distinct(fit):,} distinct",
        f"power law: alpha = {fit.alpha:.4f} +- {fit.se:.4f} (beta = alpha - 1 = {fit.beta:.4f}), "
        f"x_min = {fit.xmin}, x_max = {fit.xmax}, n_tail = {fit.n_tail}, KS D = {fit.D:.4f}",
        *(f"warning: not a power-law fit: {warning}" for warning in fit.warnings),
        *_range_warning(fit),
        f"p-value: {float(p):.3f} (95 % interval {low:.3f} to {high:.3f}; {p.replicates} bootstrap "
        f"replicates of at most {p.maximum}, {test}; seed {p.seed}): power law {judged}",
        "likelihood ratios (R > 0 favours the power law; R/(sigma sqrt n): CSN's normalised "
        "ratio; p: significance of R's sign):",
    ]
    for name in ALTERNATIVES:
        c = fit.compare(name)
        lines.append(
            f"  {name:<22} R = {c.R:9.3f}  R/(sigma sqrt n) = {c.normalized_R:7.3f}  p = {c.p:.3g}"
        )
    if row is not None:
        lines.append(
            f"evidence class: {row['evidence']} (the ladder of scaleinv.stats.ladder); "
            f"curvature {row['curvature']:.3f} [{row['curvature_low']:.3f}, "
            f"{row['curvature_high']:.3f}], d_ratio {row['d_ratio']:.2f}, strongest rival's "
            f"R per tail code {row['llr_per_code']:.4f}"
        )
    return lines


def as_json(source: str, fit: Fit, p: PValue, row: dict[str, Any] | None) -> str:
    """The summary's numbers as one JSON object (NaN and infinities as null)."""
    low, high = p.interval
    record = {
        "source": source,
        "sizes": len(fit.sample),
        "distinct": _distinct(fit),
        "power_law": {
            "alpha": fit.alpha,
            "sigma": fit.se,
            "beta": fit.beta,
            "xmin": fit.xmin,
            "xmax": fit.xmax,
            "n_tail": fit.n_tail,
            "D": fit.D,
        },
        "warnings": [*fit.warnings, *_range_warning(fit)],
        "p_value": {
            "p": float(p),
            "interval": [low, high],
            "replicates": p.replicates,
            "maximum": p.maximum,
            "sequential": p.sequential,
            "seed": p.seed,
            "seconds": p.seconds,
        },
        "comparisons": {
            name: {
                "R": c.R,
                "normalized_R": c.normalized_R,
                "p": c.p,
                "params": c.params,
            }
            for name in ALTERNATIVES
            for c in [fit.compare(name)]
        },
        "evidence": row,
    }
    return json.dumps(_finite(record), indent=2, default=_plain)


def _finite(value: Any) -> Any:
    """`value` with every NaN or infinity replaced by None (JSON has neither)."""
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    if isinstance(value, float | np.floating) and not math.isfinite(value):
        return None
    return value


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers, for json."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _distinct(fit: Fit) -> int:
    return int(np.count_nonzero(np.diff(np.sort(fit.sample)))) + 1


def _range_warning(fit: Fit) -> list[str]:
    """A warning where --xmax leaves 1 to DECADES_WARNED decades above x_min (under one,
    the fit's own warning says so)."""
    if fit.xmax is None:
        return []
    decades = math.log10(fit.xmax / fit.xmin)
    if not 1 <= decades < DECADES_WARNED:
        return []
    return [
        f"warning: x_max = {fit.xmax} is {decades:.2f} decades above x_min = {fit.xmin} "
        f"(fewer than {DECADES_WARNED}): over so short a range rivals are hard to tell apart"
    ]


def progress(message: str, shown: bool) -> float:
    """Print `message` on stderr if `shown` (a stage that may take seconds); the time."""
    if shown:
        print(f"scaleinv: {message}", file=sys.stderr, flush=True)
    return time.perf_counter()


def fit_command(args: argparse.Namespace) -> None:
    fmt = check_plot(args.plot, args.path) if args.plot is not None else None
    sizes = read_sizes(args.path, args.column)
    with warnings.catch_warnings():  # the summary prints them, in its own words
        warnings.simplefilter("ignore", FitWarning)
        fit = Fit(sizes.values, xmin=None if args.xmin == "auto" else args.xmin, xmax=args.xmax)
    shown = sys.stderr.isatty() if args.progress is None else args.progress
    start = progress(
        f"fitted {len(fit.sample):,} sizes; bootstrap p-value, at most {args.replicates} "
        "replicates (sequential)...",
        shown,
    )
    p = fit.p_value(args.replicates, args.seed, args.threads)
    progress(f"{p.replicates} replicates in {time.perf_counter() - start:.1f} s; rivals...", shown)
    row = None
    if args.evidence:
        start = progress("evidence: the workflow's effect sizes and tail indices...", shown)
        row = fit.report(args.replicates, args.seed, args.threads)
        progress(f"evidence in {time.perf_counter() - start:.1f} s", shown)
    if args.plot is not None:
        _plot(fit, args.plot, fmt, sizes.source)
    text = (
        as_json(sizes.source, fit, p, row)
        if args.json
        else "\n".join(summary(sizes.source, fit, p, row))
    )
    print(text, flush=True)


def _plot(fit: Fit, path: Path, fmt: str | None, title: str) -> None:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5, 4), layout="constrained")
    ax = fit.plot_ccdf(figure.add_subplot())
    ax.set_title(title if len(title) <= 60 else "..." + title[-57:], fontsize="medium")
    try:
        with atomic_path(path) as tmp:
            figure.savefig(tmp, format=fmt, dpi=150)
    except OSError as error:
        raise ScaleinvError(f"--plot {path} could not be written ({error})") from None


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        fit_command(args)
    except ScaleinvError as error:
        print(f"scaleinv: error: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    except BrokenPipeError:  # `scaleinv fit ... | head -1`: the reader left; exit quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error at exit
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
