"""Rule logs: a user error is one line and exit status 1."""

import pytest

from scaleinv.errors import ScaleinvError
from scaleinv.rulelog import rule_log


def test_user_error_is_one_log_line_and_exit_status_1(tmp_path):
    log = tmp_path / "rule.log"
    with pytest.raises(SystemExit) as stop:
        with rule_log(log):
            print("working")
            raise ScaleinvError("datasets.x is wrong; fix it")
    assert stop.value.code == 1
    assert log.read_text() == "working\nerror: datasets.x is wrong; fix it\n"


def test_a_bug_keeps_its_traceback_and_the_log_holds_it(tmp_path):
    log = tmp_path / "rule.log"
    with pytest.raises(ZeroDivisionError):
        with rule_log(log):
            print("working")
            1 / 0  # noqa: B018
    text = log.read_text()
    assert text.startswith("working\nTraceback (most recent call last):")
    assert text.rstrip().endswith("ZeroDivisionError: division by zero")
