"""Read a file of sizes for `scaleinv fit`: plain text (one integer per line), CSV or TSV
(a column, its header detected) or Parquet (a column; needs the `tables` extra).

Anything else (a directory, FIFO or device, a compressed, binary or non-UTF-8 file, a value
that is not an integer in [1, 2^63 - 1], a blank cell, an ambiguous column name) is one
ScaleinvError saying what it is and where; a FIFO or device is never opened. Text is read
in blocks and parsed by numpy where a block holds only digits, so 10^7 lines take a few
hundred MB, not gigabytes; a block with anything else is read line by line for the
message, which quotes at most LINE_QUOTE characters of the bad line.

CSV as R and pandas write it: the delimiter by suffix, else the first of tab, comma and
semicolon in the first line; a row with a double quote is split by the csv module (R's
`"","size"`, pandas' QUOTE_ALL), and one pair of quotes around a plain-text line dropped.
A first line is a header where each field is a name or empty (R's row-name column) and
none is a missing-value word (NA, nan, null, None, inf): those are bad values, quoted.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scaleinv.errors import ScaleinvError
from scaleinv.inputs import regular_file
from scaleinv.stats.sample import LARGEST, positive_integers

LINE_QUOTE = 80  # characters of a bad line an error quotes (a line may be megabytes)
BLOCK = 1 << 24  # bytes of text parsed at a time: 16 MB, about 2-4 million sizes
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
DELIMITERS = {".csv": ",", ".tsv": "\t", ".tab": "\t"}  # by suffix, if in the first line
SNIFFED = ("\t", ",", ";")  # else the first of these in the first line (";": European CSV)
MISSING = {"na", "nan", "null", "none", "inf", "infinity"}  # bad values, never column names
_FIX_LINE = "write one size (the number of inputs sharing a code) per line"
_HEADER_WORD = re.compile(r"[A-Za-z_][\w .()-]*")  # a column name, not a mistyped number
_DIGITS_ONLY = b"0123456789\r\n"
_FLOAT_FIX = "write the sizes as integers, e.g. numpy.savetxt(path, sizes, fmt='%d')"


@dataclass(frozen=True)
class Sizes:
    """The sizes read, and where from in words (`path`, `path column 'k'`)."""

    values: np.ndarray
    source: str


def read_sizes(path: Path, column: str | None = None) -> Sizes:
    """The sizes in `path` (see the module's docstring); `column` names a CSV/TSV/Parquet
    column (a header name, or a 1-based number where there is no header)."""
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
    if head.startswith(b"PAR1"):
        return _read_parquet(path, column)
    if path.suffix.lower() == ".parquet":
        raise ScaleinvError(
            f"{path} is named .parquet but is not a Parquet file (it does not start with "
            "PAR1); give the Parquet file, or name a text file of sizes .txt or .csv"
        )
    for magic, what in MAGIC.items():
        if head.startswith(magic):
            raise ScaleinvError(f"{path} is {what}")
    return _read_text(path, column)


def _read_text(path: Path, column: str | None) -> Sizes:
    blocks = _blocks(path)
    first = next(blocks, b"")
    header_line, delimiter = _first_line(first), DELIMITERS.get(path.suffix.lower())
    if delimiter is None or delimiter not in header_line:
        delimiter = next((d for d in SNIFFED if d in header_line), delimiter)
    fields = [f.strip() for f in _split(header_line, delimiter)]
    has_header = any(fields) and all(
        not field  # an unnamed column (R's row names), or a bad first value quoted below
        or (
            len(field) <= LINE_QUOTE
            and _HEADER_WORD.fullmatch(field) is not None
            and field.lower() not in MISSING
        )
        for field in fields
    )
    index = _column_index(path, column, fields if has_header else None, len(fields))
    if index is None:
        source = str(path)
    else:
        source = f"{path} column {repr(fields[index]) if has_header else index + 1}"
    parts, line = [], 1
    for number, block in enumerate(itertools.chain([first], blocks)):
        while number == 0 and has_header:  # drop the lines through the header
            skipped, _, block = block.partition(b"\n")
            line += 1
            if skipped.strip():
                break
        parts.append(_parse_block(block, path, delimiter, index, len(fields), line))
        line += block.count(b"\n")
    values = np.concatenate(parts) if parts else np.empty(0, np.int64)
    if not len(values):
        raise ScaleinvError(f"{source} holds no sizes; {_FIX_LINE}")
    return Sizes(values, source)


def _blocks(path: Path) -> Iterator[bytes]:
    """The file's bytes in blocks of about BLOCK that end at a line end, checked as UTF-8
    text without NUL bytes (the position of a bad byte counted from the file's start)."""
    offset, carry = 0, b""
    with path.open("rb") as stream:
        while chunk := stream.read(BLOCK):
            data = carry + chunk
            cut = data.rfind(b"\n") + 1 if len(chunk) == BLOCK else len(data)
            if cut == 0:  # a line longer than a block: read on
                carry = data
                continue
            block, carry = data[:cut], data[cut:]
            _check_text(block, path, offset)
            offset += len(block)
            yield block
        if carry:
            _check_text(carry, path, offset)
            yield carry


def _check_text(block: bytes, path: Path, offset: int) -> None:
    if b"\0" in block:
        raise ScaleinvError(
            f"{path} is a binary file (a NUL byte at byte {offset + block.index(0) + 1:,}), "
            f"not text; {_FIX_LINE}"
        )
    try:
        block.decode("utf-8-sig" if offset == 0 else "utf-8")
    except UnicodeDecodeError as error:
        raise ScaleinvError(
            f"{path} is not UTF-8 text (byte {block[error.start]:#04x} at byte "
            f"{offset + error.start + 1:,}); save it as UTF-8, {_FIX_LINE}"
        ) from None


def _split(line: str, delimiter: str | None) -> list[str]:
    """The fields of `line`: by the csv module where it holds a double quote (a quoted field
    may hold the delimiter), else split at `delimiter`; one field with one pair of
    surrounding quotes dropped where there is no delimiter."""
    if delimiter is None:
        return [_unquote(line.strip())]
    if '"' in line:
        return next(csv.reader([line], delimiter=delimiter), [""])
    return line.split(delimiter)


def _unquote(word: str) -> str:
    return word[1:-1] if len(word) >= 2 and word[0] == word[-1] == '"' else word


def _first_line(block: bytes) -> str:
    """The first non-blank line, decoded (a BOM dropped), cut to LINE_QUOTE * 10 bytes."""
    for line in block.splitlines():
        if line.strip():
            return line[: LINE_QUOTE * 10].decode("utf-8-sig", "replace")
    return ""


def _column_index(
    path: Path, column: str | None, names: list[str] | None, width: int
) -> int | None:
    """The 0-based index of `column` in a row of `width` fields (None: the one column)."""
    unnamed = [str(i + 1) for i, name in enumerate(names or []) if not name]
    if column is None:
        if width == 1:
            return None
        shown = _cut(str(names)) if names else f"{width} columns, no header"
        if unnamed:
            shown += f"; column {_and(unnamed)} has no name"
        raise ScaleinvError(
            f"{path} has {width} columns ({shown}); name the sizes' column with --column"
        )
    if names is not None and column in names:
        same = [str(i + 1) for i, name in enumerate(names) if name == column]
        if len(same) > 1:
            raise ScaleinvError(
                f"{path} has {len(same)} columns named {_cut(repr(column))} (columns "
                f"{_and(same)}); give the one you mean by number, e.g. --column {same[-1]}"
            )
        return names.index(column)
    if column.isascii() and column.isdigit() and 1 <= int(column) <= width:
        return int(column) - 1
    where = f"its header: {_cut(str(names))}" if names else "no header"
    if unnamed:
        where += f"; column {_and(unnamed)} has no name"
    raise ScaleinvError(
        f"{path} has no column {_cut(repr(column))} ({width} column{'s' * (width > 1)}, "
        f"{where}); give a name from the header or a column number from 1"
    )


def _parse_block(
    block: bytes, path: Path, delimiter: str | None, index: int | None, width: int, first_line: int
) -> np.ndarray:
    """The block's sizes: by numpy where its column holds only digits, else line by line.
    A row with a quote goes line by line too, and so does a blank cell, which the
    whitespace split of `_digits` would drop (hence the count)."""
    if width > 1 and delimiter is not None:
        quoted = b'"' in block  # fields split by the csv module, line by line
        rows = [] if quoted else [row for row in block.split(b"\n") if row.strip()]
        cells = [row.split(delimiter.encode()) for row in rows]
        if not quoted and all(len(cell) == width for cell in cells):
            column = b"\n".join(cell[index or 0].strip() for cell in cells)
            fast = _digits(column)
            if fast is not None and len(fast) == len(cells):
                return fast
    elif (fast := _digits(block)) is not None:
        return fast
    return _parse_lines(block, path, delimiter, index, width, first_line)


def _digits(text: bytes) -> np.ndarray | None:
    """The integers of `text`, whitespace-separated, if it holds only digits and line ends
    and each is in [1, 2^63 - 1]; None otherwise (then a line-by-line read names the bad one)."""
    if text.translate(None, _DIGITS_ONLY) or not text.strip():
        return None if text.strip() else np.empty(0, np.int64)
    words = np.array(text.split())
    if words.dtype.itemsize > 19:  # 20 digits or more may exceed 2^63 - 1
        return None
    try:
        values = words.astype(np.int64)
    except OverflowError:  # 19 digits from 2^63 to 10^19 - 1
        return None
    return None if values.min() < 1 else values


def _parse_lines(
    block: bytes, path: Path, delimiter: str | None, index: int | None, width: int, first_line: int
) -> np.ndarray:
    sizes = []
    for number, raw in enumerate(block.decode("utf-8-sig").split("\n"), first_line):
        if not raw.strip():
            continue
        where = f"{path} line {number}"
        if width > 1 and delimiter is not None:
            cells = _split(raw, delimiter)
            if len(cells) != width:
                raise ScaleinvError(
                    f"{where} has {len(cells)} fields, not {width} as the first line; "
                    "give every row the same columns"
                )
            raw = cells[index or 0]
        sizes.append(_size(_unquote(raw.strip()), where))
    return positive_integers(sizes, str(path)) if sizes else np.empty(0, np.int64)


def _size(word: str, where: str) -> int:
    """The integer `word`, or a ScaleinvError quoting at most LINE_QUOTE characters."""
    if word.isascii() and word.isdigit():
        if len(word.lstrip("0")) <= 19 and 1 <= int(word) <= LARGEST:
            return int(word)
        if int(word[:20] or "0") >= 1:  # 20+ digits: above 2^63 - 1 (int() refuses 4,300+)
            raise ScaleinvError(
                f"{where}: {_quote(word)} is above 2^63 - 1, the largest size handled; {_FIX_LINE}"
            )
    raise ScaleinvError(
        f"{where}: {_quote(word)} is not an integer >= 1; "
        + (_FLOAT_FIX if _whole_float(word) else _FIX_LINE)
    )


def _whole_float(word: str) -> bool:
    """Whether `word` is a float of a whole number >= 1 (numpy.savetxt's default format
    writes 3 as 3.000000000000000000e+00): the fix is the format, not the value."""
    try:
        value = float(word)
    except ValueError:
        return False
    return value >= 1 and value.is_integer()


def _quote(word: str) -> str:
    if len(word) <= LINE_QUOTE:
        return repr(word)
    return f"{word[: LINE_QUOTE - 20]!r}...{word[-10:]!r} ({len(word):,} characters)"


def _and(words: list[str]) -> str:
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 2 else words)


def _cut(text: str) -> str:
    return text if len(text) <= LINE_QUOTE else text[: LINE_QUOTE - 3] + "..."


def _read_parquet(path: Path, column: str | None) -> Sizes:
    try:
        import polars as pl
    except ImportError:
        raise ScaleinvError(
            f"{path} is Parquet; reading it needs polars, which is not installed; "
            "pip install 'scaleinv[tables]', or write the sizes one per line"
        ) from None
    if column is None:
        raise ScaleinvError(f"{path} is Parquet; name the column of sizes with --column")
    # polars raises several types for a file that is not Parquet, or whose pages are corrupt
    try:
        names = pl.read_parquet_schema(path)
    except Exception as error:
        raise _unreadable(path, error) from None
    if column not in names:
        raise ScaleinvError(
            f"{path} has no column {_cut(repr(column))}; its columns: {_cut(str(list(names)))}"
        )
    if not names[column].is_numeric():
        raise ScaleinvError(
            f"{path} column {column!r} holds {names[column]} values, not integers; "
            "give a column of integer sizes"
        )
    try:
        values = pl.read_parquet(path, columns=[column])[column]
    except Exception as error:  # an intact footer over a corrupt data page
        raise _unreadable(path, error) from None
    if values.null_count():
        raise ScaleinvError(f"{path} column {column!r} holds nulls; give a size in every row")
    source = f"{path} column {column!r}"
    return Sizes(positive_integers(values.to_numpy(), source), source)


def _unreadable(path: Path, error: Exception) -> ScaleinvError:
    reason = " ".join(str(error).split())[:LINE_QUOTE]
    return ScaleinvError(f"{path} is not a readable Parquet file ({reason})")
