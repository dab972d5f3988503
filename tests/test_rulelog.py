"""Rule logs: a user error is one line and exit status 1."""

import ctypes
import os
import subprocess

import pytest

import scaleinv
from scaleinv import __version__
from scaleinv.errors import ScaleinvError
from scaleinv.rulelog import rule_log

FIRST = f"scaleinv {__version__} from {os.path.dirname(scaleinv.__file__)}"


def test_user_error_is_one_log_line_and_exit_status_1(tmp_path):
    log = tmp_path / "rule.log"
    with pytest.raises(SystemExit) as stop:
        with rule_log(log):
            print("working")
            raise ScaleinvError("datasets.x is wrong; fix it")
    assert stop.value.code == 1
    assert log.read_text() == f"{FIRST}\nworking\nerror: datasets.x is wrong; fix it\n"


def test_a_bug_keeps_its_traceback_and_the_log_holds_it(tmp_path):
    log = tmp_path / "rule.log"
    with pytest.raises(ZeroDivisionError):
        with rule_log(log):
            print("working")
            1 / 0  # noqa: B018
    text = log.read_text()
    assert text.startswith(f"{FIRST}\nworking\nTraceback (most recent call last):")
    assert text.rstrip().endswith("ZeroDivisionError: division by zero")


def test_c_level_writes_and_child_processes_land_in_the_log(tmp_path):
    log = tmp_path / "rule.log"
    libc = ctypes.CDLL(None)
    with rule_log(log):
        print("python")
        libc.printf(b"C printf\n")
        os.write(2, b"file descriptor 2\n")
        subprocess.run(["echo", "child process"], check=True)
    lines = set(log.read_text().splitlines())
    assert {"python", "C printf", "file descriptor 2", "child process"} <= lines
    print("after the block")  # fds restored: not in the log
    assert "after the block" not in log.read_text()
