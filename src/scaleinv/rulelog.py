"""Logging for rule scripts: everything to the rule's log, user errors as one line."""

import contextlib
import logging
import sys
import traceback

from scaleinv.errors import ScaleinvError


@contextlib.contextmanager
def rule_log(log_path):
    """Send the block's output and logging to `log_path`.

    A ScaleinvError becomes one line `error: ...` in the log (Snakemake shows it with
    --show-failed-logs, which the default profile sets) and exit status 1; anything
    else keeps its traceback, because it is a bug rather than bad input, and the
    traceback goes to the log as well as to the console.
    """
    with open(log_path, "w", buffering=1) as log:
        stdout, stderr = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = log
        logging.basicConfig(
            stream=log, level=logging.INFO, format="%(asctime)s %(message)s", force=True
        )
        try:
            yield
        except ScaleinvError as error:
            print(f"error: {error}", file=log)
            raise SystemExit(1) from None
        except Exception:
            traceback.print_exc(file=log)
            raise
        finally:
            sys.stdout, sys.stderr = stdout, stderr
