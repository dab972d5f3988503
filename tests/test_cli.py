"""`scaleinv fit`: a user's file of sizes in, the fit, p-value, comparisons and evidence class
out; a bad value gives one line naming it, exit status 1 and no figure."""

import json
import subprocess
import sys

import numpy as np
import polars as pl
import pytest

from scaleinv.cli import main
from scaleinv.powerlaw import Fit
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


def written(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


SIZES = sample_power_law(2.5, 1, 2000, np.random.default_rng(3))


def test_fit_prints_what_the_library_computes_for_the_same_seed(tmp_path, capsys):
    """Every number printed is the library's for the same seed: the p-value with its
    interval and the replicates actually drawn (the sequential test says so), and each
    rival's R, normalised ratio and p."""
    path = written(tmp_path, "sizes.txt", "\n".join(map(str, SIZES)) + "\n")
    main(["fit", str(path), "--replicates", "50", "--seed", "4"])
    lines = capsys.readouterr().out.splitlines()
    fit = Fit(SIZES)
    p = fit.p_value(replicates=50, seed=4)
    assert lines[0] == f"{path}: 2,000 sizes, {len(set(SIZES))} distinct"
    assert lines[1].startswith(f"power law: alpha = {fit.alpha:.4f} +- {fit.se:.4f}")
    low, high = p.interval
    assert lines[2] == (
        f"p-value: {p:.3f} (95 % interval {low:.3f} to {high:.3f}; {p.replicates} bootstrap "
        "replicates of at most 50, sequential test: stopped once settled; seed 4): power law "
        + ("plausible" if p >= 0.1 else "ruled out (p < 0.1)")
    )
    assert p.replicates < 50  # the case the old count misreported
    for line, name in zip(lines[4:8], ALTERNATIVES, strict=True):
        test = fit.compare(name)
        assert line.split() == [
            name, "R", "=", f"{test.R:.3f}", "R/(sigma", "sqrt", "n)", "=",
            f"{test.normalized_R:.3f}", "p", "=", f"{test.p:.3g}",
        ]  # fmt: skip
    assert len(lines) == 8  # no evidence class unless asked: nothing runs unprinted


@pytest.mark.slow
def test_evidence_json_and_plot(tmp_path, capsys):
    path = written(tmp_path, "sizes.txt", "\n".join(map(str, SIZES)) + "\n")
    run = scaleinv("fit", path, "--replicates", 50, "--evidence", "--plot", tmp_path / "c.png")
    assert run.returncode == 0 and run.stderr == "", run.stderr  # no progress off a terminal
    lines = run.stdout.splitlines()
    row = Fit(SIZES).report(replicates=50)
    assert lines[8].startswith(f"evidence class: {row['evidence']} (the ladder")
    assert f"d_ratio {row['d_ratio']:.2f}" in lines[8]
    assert (tmp_path / "c.png").read_bytes().startswith(b"\x89PNG")
    main(["fit", str(path), "--replicates", "50", "--json", "--evidence"])
    record = json.loads(capsys.readouterr().out)
    assert record["p_value"]["p"] == row["p_value"] == Fit(SIZES).p_value(50)
    assert record["p_value"]["replicates"] == row["replicates_used"]
    assert record["evidence"]["evidence"] == row["evidence"]
    assert record["comparisons"]["lognormal"]["params"].keys() == {"mu", "sigma"}
    assert record["power_law"]["xmax"] is None and record["sizes"] == 2000


def test_progress_goes_to_stderr_when_asked(tmp_path, capsys):
    path = written(tmp_path, "sizes.txt", "\n".join(map(str, SIZES)) + "\n")
    main(["fit", str(path), "--replicates", "20", "--progress"])
    err = capsys.readouterr().err.splitlines()
    assert (
        err[0]
        == "scaleinv: fitted 2,000 sizes; bootstrap p-value, at most 20 replicates (sequential)..."
    )
    assert err[1].startswith("scaleinv: ") and " replicates in " in err[1]


@pytest.mark.parametrize(
    "name,text,column,source",
    [
        ("s.csv", "id,size\n{rows}", "size", "s.csv column 'size'"),
        ("s.csv", "id,size\n{rows}", "2", "s.csv column 'size'"),
        ("s.tsv", "id\tsize\n{rows}", "size", "s.tsv column 'size'"),
        ("s.dat", "id\tsize\n{rows}", "size", "s.dat column 'size'"),  # a tab: TSV
        ("n.csv", "{rows}", "2", "n.csv column 2"),  # no header: a number
        ("h.txt", "size\n{plain}", None, "h.txt"),  # a name on the first line: a header
        ("h.txt", "\n\nsize\n{plain}", "size", "h.txt column 'size'"),
    ],
)
def test_csv_tsv_and_headers_are_read(tmp_path, capsys, name, text, column, source):
    rows = "".join(f"{i},{v}\n" for i, v in enumerate(SIZES))
    if "\t" in text:
        rows = rows.replace(",", "\t")
    plain = "".join(f"{v}\n" for v in SIZES)
    path = written(tmp_path, name, text.format(rows=rows, plain=plain))
    main(["fit", str(path), "--replicates", "10", *(["--column", column] if column else [])])
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{tmp_path / source}: 2,000 sizes, {len(set(SIZES))} distinct"
    assert out[1] == main_line(Fit(SIZES))


def main_line(fit):
    return (
        f"power law: alpha = {fit.alpha:.4f} +- {fit.se:.4f} (beta = alpha - 1 = {fit.beta:.4f}), "
        f"x_min = {fit.xmin}, x_max = {fit.xmax}, n_tail = {fit.n_tail}, KS D = {fit.D:.4f}"
    )


@pytest.mark.parametrize(
    "name,text,args,message",
    [
        (
            "s.csv",
            "id,size\n1,3\n2,4\n",
            [],
            "s.csv has 2 columns (['id', 'size']); name the sizes' column with --column",
        ),
        (
            "s.csv",
            "id,size\n1,3\n",
            ["--column", "k"],
            "s.csv has no column 'k' (2 columns, its header: ['id', 'size']); give a name from the header or a column number from 1",
        ),
        (
            "s.csv",
            "1,3\n2,4\n",
            ["--column", "3"],
            "s.csv has no column '3' (2 columns, no header); give a name",
        ),
        (
            "s.csv",
            "id,size\n1,3\n2,4,5\n",
            ["--column", "size"],
            "s.csv line 3 has 3 fields, not 2 as the first line; give every row the same columns",
        ),
        (
            "s.csv",
            "id,size\n1,3\n2,2.5\n",
            ["--column", "size"],
            "s.csv line 3: '2.5' is not an integer >= 1",
        ),
        (
            "s.txt",
            "3\n4\n",
            ["--column", "k"],
            "s.txt has no column 'k' (1 column, no header); give a name",
        ),
    ],
)
def test_a_bad_table_is_one_line(tmp_path, capsys, name, text, args, message):
    path = written(tmp_path, name, text)
    err = refused(capsys, "fit", path, *args)
    assert err.startswith(f"scaleinv: error: {tmp_path / message}") and err.count("\n") == 1, err


def test_an_xmax_under_two_decades_is_warned(tmp_path, capsys):
    path = written(tmp_path, "sizes.txt", "\n".join(map(str, SIZES)) + "\n")
    main(["fit", str(path), "--replicates", "10", "--xmin", "2", "--xmax", "50"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == (
        "warning: x_max = 50 is 1.40 decades above x_min = 2 (fewer than 2): over so short "
        "a range rivals are hard to tell apart"
    )


def test_help_says_what_is_printed_the_exit_codes_and_the_defaults(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["fit", "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    for words in (
        "what it prints",
        "exit status: 0 fitted; 1 bad input",
        "2 a bad option",
        "(default 500)",
        "(default 0)",
        "--json",
        "--evidence",
        "sequential",
    ):
        assert words in " ".join(out.split()), words  # fmt: skip


@pytest.mark.slow
def test_a_ten_million_line_file_is_fitted_in_under_1_gb(tmp_path):
    """Issue 35 item 5: the file is parsed in blocks and the bootstrap draws counts (4.5 GB
    before). A small launcher runs `scaleinv fit` and reads its child's peak resident
    memory from the kernel (a child forked from this test would inherit its pages)."""
    sizes = np.random.default_rng(0).zipf(2.5, 10**7)
    distinct = len(np.unique(sizes))
    path = tmp_path / "big.txt"
    np.savetxt(path, sizes, fmt="%d")
    del sizes
    launcher = (
        "import resource, subprocess, sys\n"
        "run = subprocess.run([sys.executable, '-m', 'scaleinv.cli', 'fit', sys.argv[1], "
        "'--replicates', '20'], capture_output=True, text=True)\n"
        "print(run.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(run.stdout, run.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", launcher, str(path)], capture_output=True, text=True, check=True
    )
    status, peak_kib = map(int, run.stdout.split("\n", 1)[0].split())
    assert status == 0, run.stdout
    assert f"{path}: 10,000,000 sizes, {distinct:,} distinct" in run.stdout
    assert peak_kib < 2**20, f"{peak_kib / 2**20:.2f} GiB"  # 1 GiB in KiB (0.42 GiB here)
