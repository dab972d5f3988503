"""Logging for rule scripts: everything to the rule's log, user errors as one line."""

import contextlib
import ctypes
import logging
import os
import sys
import traceback

import scaleinv
from scaleinv import __version__
from scaleinv.errors import ScaleinvError

_LIBC = ctypes.CDLL(None)  # the process's C library, to flush C stdio buffers


@contextlib.contextmanager
def rule_log(log_path):
    """Send everything the block prints to `log_path`: Python's output and logging, and
        file descriptors 1 and 2 themselves, so C libraries (Numba, BLAS, torch) and child
        processes write there too. The first line names the scaleinv version and where it was
    imported from (the workflow's own src/, which the Snakefile puts first on PYTHONPATH).

        A ScaleinvError becomes one line `error: ...` in the log (Snakemake shows it with
        --show-failed-logs, which the default profile sets) and exit status 1; anything
        else keeps its traceback, because it is a bug rather than bad input, and the
        traceback goes to the log as well as to the console.
    """
    with open(log_path, "w", buffering=1) as log:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = {fd: os.dup(fd) for fd in (1, 2)}
        for fd in saved:
            os.dup2(log.fileno(), fd)
        stdout, stderr = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = log
        logging.basicConfig(
            stream=log, level=logging.INFO, format="%(asctime)s %(message)s", force=True
        )
        print(f"scaleinv {__version__} from {os.path.dirname(scaleinv.__file__)}", file=log)
        try:
            yield
        except ScaleinvError as error:
            print(f"error: {error}", file=log)
            raise SystemExit(1) from None
        except Exception:
            traceback.print_exc(file=log)
            raise
        finally:
            log.flush()
            _LIBC.fflush(None)  # C stdio buffers a file fully: write them out while fd 1 is the log
            sys.stdout, sys.stderr = stdout, stderr
            for fd, copy in saved.items():
                os.dup2(copy, fd)
                os.close(copy)
