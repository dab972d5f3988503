"""The `scaleinv` console script: `scaleinv fit sizes.txt` fits a power law to your own sizes
and prints what the workflow reports for a layer (fit, p-value, comparisons, evidence class).
Bad input gives one line `scaleinv: error: ...` and exit status 1, and writes nothing."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

from scaleinv import __version__
from scaleinv.atomic import atomic_path
from scaleinv.errors import ScaleinvError
from scaleinv.inputs import regular_file
from scaleinv.powerlaw import DEFAULTS, MAX_REPLICATES, Fit, FitWarning, positive_integers
from scaleinv.stats.alternatives import ALTERNATIVES
from scaleinv.stats.powerlaw_fit import SIGNIFICANCE
from scaleinv.stats.sample import LARGEST

LINE_QUOTE = 80  # characters of a bad line an error quotes (a line may be megabytes)
# A file's first bytes -> what it is and how to give its sizes instead.
MAGIC = {
    b"\x1f\x8b": "gzip-compressed; decompress it first (gunzip)",
    b"PK\x03\x04": "a zip archive (a .npz?); write the sizes one per line, e.g. with "
    "numpy.savetxt(path, sizes, fmt='%d')",
    b"\x93NUMPY": "a .npy array; write the sizes one per line, e.g. with "
    "numpy.savetxt(path, sizes, fmt='%d')",
    b"\xff\xfe": "UTF-16 text; save it as UTF-8",
    b"\xfe\xff": "UTF-16 text; save it as UTF-8",
}
_FIX_LINE = "write one size (the number of inputs sharing a code) per line"


def read_sizes(path: Path, column: str | None = None):
    """The sizes in `path`: a Parquet file's `column`, or a text file of one integer per line
    (blank lines skipped). Anything else (a directory, FIFO or device, a compressed, binary
    or non-UTF-8 file, a value that is not an integer in [1, 2^63 - 1]) is one ScaleinvError
    saying what it is; a FIFO or device is never opened."""
    if str(path) == "-":
        raise ScaleinvError("sizes are read from a file, not standard input; give a file")
    if not path.exists() and not path.is_symlink():
        raise ScaleinvError(f"{path} does not exist; give a file of sizes")
    regular_file(path)
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError as error:
        raise ScaleinvError(f"{path} cannot be read ({error.strerror})") from None
    if column is not None or path.suffix == ".parquet" or head.startswith(b"PAR1"):
        return _read_parquet(path, column)
    for magic, what in MAGIC.items():
        if head.startswith(magic):
            raise ScaleinvError(f"{path} is {what}")
    data = path.read_bytes()
    if b"\0" in data:
        raise ScaleinvError(
            f"{path} is a binary file (a NUL byte at byte {data.index(0) + 1:,}), not text; "
            f"{_FIX_LINE}"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScaleinvError(
            f"{path} is not UTF-8 text (byte {data[error.start]:#04x} at byte "
            f"{error.start + 1:,}); save it as UTF-8, {_FIX_LINE}"
        ) from None
    sizes = []
    for number, line in enumerate(text.splitlines(), 1):
        if word := line.strip():
            sizes.append(_size(word, f"{path} line {number}"))
    return positive_integers(sizes, str(path))


def _size(word: str, where: str) -> int:
    """The integer on one line, or a ScaleinvError quoting at most LINE_QUOTE characters."""
    if word.isascii() and word.isdigit():
        if len(word.lstrip("0")) <= 19 and int(word) <= LARGEST and int(word) >= 1:
            return int(word)
        if int(word[:20] or "0") >= 1:  # 20+ digits: above 2^63 - 1 (int() refuses 4,300+)
            raise ScaleinvError(
                f"{where}: {_quote(word)} is above 2^63 - 1, the largest size handled; {_FIX_LINE}"
            )
    raise ScaleinvError(f"{where}: {_quote(word)} is not an integer >= 1; {_FIX_LINE}")


def _quote(word: str) -> str:
    if len(word) <= LINE_QUOTE:
        return repr(word)
    return f"{word[: LINE_QUOTE - 20]!r}...{word[-10:]!r} ({len(word):,} characters)"


def _read_parquet(path: Path, column: str | None):
    import polars as pl

    if column is None:
        raise ScaleinvError(f"{path} is Parquet; name the column of sizes with --column")
    try:
        names = pl.read_parquet_schema(path)
    except Exception as error:  # polars raises several types for a file that is not Parquet
        reason = " ".join(str(error).split())[:LINE_QUOTE]
        raise ScaleinvError(f"{path} is not a readable Parquet file ({reason})") from None
    if column not in names:
        raise ScaleinvError(f"{path} has no column {column!r}; its columns: {list(names)[:20]}")
    if not names[column].is_numeric():
        raise ScaleinvError(
            f"{path} column {column!r} holds {names[column]} values, not integers; "
            "give a column of integer sizes"
        )
    values = pl.read_parquet(path, columns=[column])[column]
    if values.null_count():
        raise ScaleinvError(f"{path} column {column!r} holds nulls; give a size in every row")
    return positive_integers(values.to_numpy(), f"{path} column {column!r}")


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
        raise ScaleinvError(f"--plot {plot}: its folder {folder} does not exist; create it first")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ScaleinvError(f"--plot {plot}: its folder {folder} is not writable")
    try:
        from matplotlib.backend_bases import FigureCanvasBase
    except ImportError:
        raise ScaleinvError(
            "--plot needs matplotlib, which is not installed; pip install 'scaleinv[plots]'"
        ) from None
    formats = sorted(FigureCanvasBase.get_supported_filetypes())
    suffix = plot.suffix.lstrip(".").lower()
    if suffix not in formats:
        raise ScaleinvError(
            f"--plot {plot}: matplotlib writes no {plot.suffix or 'suffix-less'} file; end the "
            f"name with one of .{', .'.join(formats)}"
        )
    return suffix


def _count(minimum: int, maximum: int | None = None):
    """An argparse type: an integer in [minimum, maximum]."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"not an integer (got {text[:LINE_QUOTE]!r})"
            ) from None
        if value < minimum or (maximum is not None and value > maximum):
            top = f" and <= {maximum:,}" if maximum is not None else ""
            raise argparse.ArgumentTypeError(f"must be >= {minimum}{top} (got {value})")
        return value

    return parse


def _xmin(text: str):
    if text == "auto":
        return text
    if text.isascii() and text.isdigit() and 1 <= int(text[:20]) <= LARGEST:
        return int(text)
    raise argparse.ArgumentTypeError(
        f"'auto' or an integer in [1, 2^63 - 1] (got {text[:LINE_QUOTE]!r})"
    )


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="scaleinv", description=__doc__.split("\n")[0])
    main.add_argument("--version", action="version", version=f"scaleinv {__version__}")
    commands = main.add_subparsers(dest="command", required=True)
    fit = commands.add_parser("fit", help="fit a discrete power law to a file of sizes")
    fit.add_argument("path", type=Path, help="one integer >= 1 per line, or a Parquet file")
    fit.add_argument("--column", help="the Parquet column that holds the sizes")
    fit.add_argument("--xmin", type=_xmin, default="auto", help="'auto' (default) or an integer")
    fit.add_argument(
        "--xmax", type=_count(1, LARGEST), default=None, help="the law's upper end (default none)"
    )
    fit.add_argument(
        "--replicates",
        type=_count(1, MAX_REPLICATES),
        default=DEFAULTS.bootstrap,
        help=f"bootstrap replicates of the p-value (default {DEFAULTS.bootstrap})",
    )
    fit.add_argument("--seed", type=_count(0), default=0, help="seed of the bootstrap (default 0)")
    fit.add_argument(
        "--threads", type=_count(1, 1024), default=1, help="bootstrap threads (default 1)"
    )
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
        f"p-value: {p:.3f} ({row['replicates_used']} bootstrap replicates of at most "
        f"{row['replicates']}, seed {row['seed_used']}): power law {judged}",
        "likelihood ratios (R > 0 favours the power law; p: significance of R's sign):",
    ]
    for name in ALTERNATIVES:
        lines.append(f"  {name:<22} R = {row[f'llr_{name}']:9.3f}  p = {row[f'p_{name}']:.3g}")
    lines.append(f"evidence class: {row['evidence']} (the ladder of scaleinv.stats.ladder)")
    return lines


def fit_command(args: argparse.Namespace) -> None:
    fmt = check_plot(args.plot, args.path) if args.plot is not None else None
    sizes = read_sizes(args.path, args.column)
    with warnings.catch_warnings():  # the summary prints them, in its own words
        warnings.simplefilter("ignore", FitWarning)
        fit = Fit(sizes, xmin=args.xmin, xmax=args.xmax)
    row = fit.report(args.replicates, args.seed, args.threads)
    row.update(replicates=args.replicates, seed_used=args.seed)
    if args.plot is not None:
        ax = fit.plot_ccdf()
        ax.set_title(args.path.name)
        try:
            with atomic_path(args.plot) as tmp:
                ax.figure.savefig(tmp, format=fmt, dpi=150)
        except OSError as error:
            raise ScaleinvError(f"--plot {args.plot} could not be written ({error})") from None
    print("\n".join(summary(args.path, fit, row)), flush=True)


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
