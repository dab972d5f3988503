"""One check of a sample of sizes: exact integers >= 1 that fit int64, whatever came in.

Every reader of sizes goes through `positive_integers` (`scaleinv.powerlaw.Fit`, the
`scaleinv fit` command): a value is judged as the user wrote it, before any cast, so
2^64 - 1, 1e20 or NaN is named with its position, never wrapped into INT64_MIN or truncated.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import NoReturn

import numpy as np
import numpy.typing as npt

from scaleinv.errors import ScaleinvError

LARGEST = int(np.iinfo(np.int64).max)  # 2^63 - 1: sizes are int64 in every table and fit
_FIX = "give cluster sizes, each the number of inputs sharing one code"


def show(value: object, width: int = 40) -> str:
    """`value`'s repr, cut to about `width` characters (a 5,000-digit integer stays short)."""
    value = value.item() if isinstance(value, np.generic) else value
    if isinstance(value, int) and value.bit_length() > 3 * width:  # str() refuses 4,300+ digits
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    text = repr(value)
    if len(text) <= width:
        return text
    return f"{text[: width // 2]}...{text[-10:]} ({len(text):,} characters)"


def _problem(value: object) -> str | None:
    """Why one value is not a size (None: it is one). Exact: no value is cast first."""
    if isinstance(value, bool | np.bool_):
        return "a boolean, not a size"
    if isinstance(value, int | np.integer):
        number = int(value)
    elif isinstance(value, float | np.floating):
        if not np.isfinite(value):
            return "not a finite number"
        if value != np.floor(value):
            return "not an integer >= 1"
        if value >= 2.0**63:  # float(LARGEST) rounds up to 2^63
            return f"above {LARGEST} (2^63 - 1, the largest size int64 holds)"
        number = int(value)
    else:
        return f"a {type(value).__name__}, not an integer >= 1"
    if number < 1:
        return "not an integer >= 1"
    if number > LARGEST:
        return f"above {LARGEST} (2^63 - 1, the largest size int64 holds)"
    return None


def _refuse(
    source: str, values: npt.NDArray[np.generic], position: int, why: str | None
) -> NoReturn:
    raise ScaleinvError(
        f"{source} holds {show(values[position])} (position {position + 1}), {why}; {_FIX}"
    )


def positive_integers(
    values: Iterable[object], source: str = "the sample"
) -> npt.NDArray[np.int64]:
    """`values` as an int64 array, or a ScaleinvError naming the first value that is not an
    integer in [1, 2^63 - 1] and its position (from 1): a cluster size counts inputs, so 0,
    2.5, -1, NaN, True or "3" are not sizes. Any numeric dtype is checked exactly before the
    cast (uint64 above 2^63 - 1, float 1e20), and so are lists of Python ints of any size
    and object arrays."""
    if isinstance(values, str | bytes) or not (
        isinstance(values, Iterable) or hasattr(values, "__array__")
    ):
        raise ScaleinvError(f"{source} must be a sequence of sizes (got {show(values)}); {_FIX}")
    if isinstance(values, Mapping):  # a Counter of sizes would give its keys, each once
        raise ScaleinvError(
            f"{source} is a mapping ({type(values).__name__}), not a list of sizes; for size -> "
            "count, pass numpy.repeat(list(counts), list(counts.values()))"
        )
    if isinstance(values, set | frozenset):
        raise ScaleinvError(f"{source} is a set, which keeps each size once; pass a list")
    if isinstance(values, np.ma.MaskedArray):
        raise ScaleinvError(
            f"{source} is a masked array; pass the unmasked sizes, e.g. array.compressed()"
        )
    if isinstance(values, np.ndarray) or hasattr(values, "__array__"):
        array = np.asarray(values)
    else:
        array = np.empty(len(items := list(values)), dtype=object)
        array[:] = items  # one object per item: no dtype guessed, no nested list unpacked
    if array.ndim != 1:
        raise ScaleinvError(
            f"{source} must be a one-dimensional list of sizes (got shape {array.shape}); {_FIX}"
        )
    if len(array) == 0:
        raise ScaleinvError(f"{source} holds no sizes; give a list of integers >= 1")
    kind = array.dtype.kind
    bad: Sequence[int] | npt.NDArray[np.intp]
    if kind == "b":
        _refuse(source, array, 0, "a boolean, not a size")
    if kind in "iu":
        bad = np.flatnonzero((array < 1) | (array > LARGEST))
    elif kind == "f":
        bad = np.flatnonzero(
            ~np.isfinite(array) | (array < 1) | (array != np.floor(array)) | (array >= 2.0**63)
        )
    elif kind == "O":
        types = set(map(type, array))
        if types <= {int} and 1 <= min(array) and max(array) <= LARGEST:
            return array.astype(np.int64)
        first = next((i for i, value in enumerate(array) if _problem(value)), None)
        bad = [] if first is None else [first]
    else:  # strings, bytes, complex, datetimes
        why = _problem(array[0].item()) or f"of dtype {array.dtype}, not an integer"
        _refuse(source, array, 0, why)
    if len(bad):
        _refuse(source, array, bad[0], _problem(array[bad[0]]))
    return array.astype(np.int64)
