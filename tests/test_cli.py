"""`scaleinv fit`: a user's file of sizes in, the fit, p-value, comparisons and evidence class
out; a bad value gives one line naming it, exit status 1 and no figure."""

import subprocess
import sys

import numpy as np
import polars as pl
import pytest

from scaleinv.cli import main
from scaleinv.stats.alternatives import ALTERNATIVES
from scaleinv.stats.powerlaw_fit import sample_power_law


def scaleinv(*args):
    return subprocess.run(
        [sys.executable, "-m", "scaleinv.cli", *map(str, args)], capture_output=True, text=True
    )


def refused(capsys, *args):
    """stderr of `scaleinv *args` run in this process, which must exit with status 1."""
    with pytest.raises(SystemExit) as exit_:
        main(list(map(str, args)))
    out, err = capsys.readouterr()
    assert exit_.value.code == 1 and out == ""
    return err


@pytest.mark.parametrize(
    "lines,expected",
    [
        ("3\n2\n2.5\n7\n", "line 3: '2.5' is not an integer >= 1"),
        ("3\n0\n4\n", "line 2: '0' is not an integer >= 1"),
        ("3\n-4\n", "line 2: '-4' is not an integer >= 1"),
        ("3\n\nseven\n", "line 3: 'seven' is not an integer >= 1"),
    ],
)
def test_a_bad_value_is_one_line_and_no_figure(tmp_path, capsys, lines, expected):
    sizes = tmp_path / "sizes.txt"
    sizes.write_text(lines)
    assert refused(capsys, "fit", sizes, "--plot", tmp_path / "ccdf.png").splitlines() == [
        f"scaleinv: error: {sizes} {expected}; write one size (the number of inputs sharing a "
        "code) per line"
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["sizes.txt"]


def test_a_parquet_file_needs_an_existing_integer_column(tmp_path, capsys):
    path = tmp_path / "codes.parquet"
    pl.DataFrame({"k": [3, 4, 5], "share": [0.5, 1.5, 2.0]}).write_parquet(path)
    assert refused(capsys, "fit", path, "--column", "size") == (
        f"scaleinv: error: {path} has no column 'size'; its columns: ['k', 'share']\n"
    )
    fractional = refused(capsys, "fit", path, "--column", "share")
    assert fractional.count("\n") == 1
    assert "column 'share' holds 0.5 (position 1), not an integer >= 1" in fractional
    assert refused(capsys, "fit", path).startswith(f"scaleinv: error: {path} is Parquet; name")


@pytest.mark.slow
def test_fit_prints_the_fit_p_value_comparisons_and_class_and_plots(tmp_path, capsys):
    sizes = sample_power_law(2.5, 1, 2000, np.random.default_rng(3))
    text, table = tmp_path / "sizes.txt", tmp_path / "sizes.parquet"
    text.write_text("\n".join(map(str, sizes)) + "\n")
    pl.DataFrame({"k": sizes}).write_parquet(table)
    run = scaleinv("fit", text, "--replicates", 50, "--plot", tmp_path / "ccdf.png")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == f"{text}: 2000 sizes, {len(set(sizes))} distinct"
    assert lines[1].startswith("power law: alpha = 2.") and "x_min = " in lines[1]
    assert (
        lines[2].startswith("p-value: ")
        and "bootstrap replicates of at most 50, seed 0)" in lines[2]
    )
    assert [line.split()[0] for line in lines[4:8]] == list(ALTERNATIVES)
    assert lines[8].startswith("evidence class: ")
    assert (tmp_path / "ccdf.png").read_bytes().startswith(b"\x89PNG")
    main(["fit", str(table), "--column", "k", "--replicates", "50"])
    assert capsys.readouterr().out.splitlines()[1:] == lines[1:]
