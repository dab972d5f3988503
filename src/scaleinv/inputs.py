"""What a user hands in, checked before use: names, values in messages, files and path
templates. Plain Python (no numpy): the config checks read it while Snakemake parses the
workflow, and the codes stage reads it in its jobs."""

import hashlib
import os
import reprlib
import stat
import string
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TypeVar

from scaleinv.errors import ScaleinvError

# Names become file paths, rule names and wildcard patterns: no dots, slashes, regex
# characters or line breaks. Match with fullmatch (`$` also matches before a final "\n").
NAME = r"[A-Za-z][A-Za-z0-9_-]*"
NAME_RULE = "a letter followed by letters, digits, _ or -"
# The one field a path template of your files may hold: each of the experiment's seeds.
SEED_FIELD = "seed"

_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = 60
_SHOWN.maxlist = _SHOWN.maxtuple = _SHOWN.maxdict = _SHOWN.maxset = 6
_SHOWN.maxlevel = 3

StrPath = TypeVar("StrPath", str, Path)  # regular_file returns what it was given


def shown(value: object) -> str:
    """repr(value) cut to a few dozen characters: a message names a value, never dumps it
    (a YAML alias bomb of 10^9 seeds would be gigabytes)."""
    return _SHOWN.repr(value)


def template_errors(key: str, template: str, seeds: Sequence[int]) -> list[str]:
    """Why path template `template` cannot name a file per seed (none: it can). Only
    `{seed}` is replaced: str.format would evaluate `{seed.__class__}` or `{seed[0]}`.
    More than one seed needs `{seed}`, or every seed would read the same file."""
    try:
        fields = [(f, c, s) for _, f, s, c in string.Formatter().parse(template) if f is not None]
    except ValueError as error:
        return [f"{key} is not a valid path template ({error}; write {{{{ for a literal {{)"]
    bad = [f for f, conversion, spec in fields if f != SEED_FIELD or conversion or spec]
    if bad:
        return [
            f"{key} may hold {{{SEED_FIELD}}} and nothing else in braces (got {shown(template)}); "
            "write {{ and }} for literal braces"
        ]
    if not fields and len(seeds) > 1:
        return [
            f"{key} needs {{{SEED_FIELD}}} in its path for seeds {shown(seeds)} (got "
            f"{shown(template)}): without it every seed would read the same file"
        ]
    return []


def source_path(template: str, seed: int) -> str:
    """The file `template` (checked by `template_errors`) names for `seed`."""
    return template.format(**{SEED_FIELD: seed})


def regular_file(path: StrPath) -> StrPath:
    """`path` after checking, without opening it, that it is (or links to) a regular file:
    a FIFO would block its reader forever, a device would never end."""
    try:
        mode = os.stat(path).st_mode  # follows symlinks: the file read is the target
    except OSError as error:
        raise ScaleinvError(f"{path} cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(mode):
        target = os.path.realpath(path)
        via = f" (a link to {target})" if target != os.path.abspath(path) else ""
        raise ScaleinvError(
            f"{path}{via} is not a regular file but a {_file_type(mode)}; give a file"
        )
    return path


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISDIR, "directory"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return name
    return "special file"


def content_digest(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a regular file's bytes, or a word for what is there instead (the job then
    says what is wrong). A rule takes it as a param, so new content reruns the rule even
    when the file's modification time is older than its outputs' (cp -p, rsync -t, tar)."""
    try:
        info = os.stat(path)
    except OSError:
        return "missing"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"  # never opened: a FIFO would block the planning
    return _digest(os.path.realpath(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns)


@cache
def _digest(path: str, size: int, mtime_ns: int, ctime_ns: int) -> str:
    """Hashed once per file and version while Snakemake plans (once per seed's job
    otherwise); ctime moves on every write, and cannot be set back."""
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def unwritable(results: str, depth: int = 2) -> str | None:
    """Why `results` or a folder in it, `depth` levels down at most (results/fits/,
    results/codes/mlp/), cannot take new files; None when all can. access() asks the
    kernel, so a read-only mount counts (root passes every permission bit)."""
    start = results if os.path.isdir(results) else os.path.dirname(os.path.abspath(results))
    for folder, subfolders, _ in os.walk(start):
        if not os.access(folder, os.W_OK | os.X_OK):
            return (
                f"{folder} is not writable, and outputs go there; make it writable "
                "(chmod u+w) or move it away, and rerun"
            )
        if folder.count(os.sep) - start.count(os.sep) >= depth:
            subfolders.clear()
    return None
