"""Outputs appear complete or not at all: write to a temporary name, then rename."""

import contextlib
import errno
import glob
import os
import uuid
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np

from scaleinv.errors import ScaleinvError

# Fixed member timestamp so the same arrays always give the same bytes.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it to `path` only if the block succeeds.

    The temporary file lives in the same directory, so the rename is atomic, and its
    name starts with a dot, so an interrupted job never leaves a file that looks finished.
    A writer killed outright (SIGKILL, node failure) cannot clean up; its leftovers are
    removed when the output is next written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)
    # The writer creates the file, so it gets the user's umask (mkstemp would force 0600).
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        raise ScaleinvError(
            f"no space left to write {path} ({error.strerror}); free some and rerun"
        ) from None
    finally:
        tmp.unlink(missing_ok=True)


def save_npz(path: str | os.PathLike[str], arrays: Mapping[str, np.typing.ArrayLike]) -> None:
    """Write arrays like `np.savez`, atomically and byte-reproducibly."""
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            member = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_EPOCH)
            with archive.open(member, "w", force_zip64=True) as stream:
                np.lib.format.write_array(stream, np.ascontiguousarray(array), allow_pickle=False)
