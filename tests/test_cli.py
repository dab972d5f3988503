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


# Red-team cases: each bad file or option is one exact line (exit 1; 2 for an option's type),
# no traceback, the input unchanged.
LINE = "write one size (the number of inputs sharing a code) per line"


def corrupt_parquet(path):
    """A Parquet file whose footer is intact and whose first data page is not."""
    pl.DataFrame({"k": range(1, 2001)}).write_parquet(
        path, compression="uncompressed", statistics=False
    )
    data = bytearray(path.read_bytes())
    data[4:40] = b"\xff" * 36
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "name,text,args,message",
    [
        # S3: a blank cell was dropped by the fast path's whitespace split
        ("a.csv", "id,size\n1, \n2,3\n", ["--column", "size"], f"a.csv line 2: '' is not an integer >= 1; {LINE}"),
        ("a.csv", "id,size\n1,3\n2,\n", ["--column", "size"], f"a.csv line 3: '' is not an integer >= 1; {LINE}"),
        ("a.tsv", "size\tid\n3\t1\n\t2\n", ["--column", "size"], f"a.tsv line 3: '' is not an integer >= 1; {LINE}"),
        # S4: a name two columns carry
        ("d.csv", "size,size\n1,3\n", ["--column", "size"], "d.csv has 2 columns named 'size' (columns 1 and 2); give the one you mean by number, e.g. --column 2"),
        # S6: a missing-value word on the first line is a bad value, not a header
        *[
            ("na.txt", f"{word}\n3\n4\n", [], f"na.txt line 1: {word!r} is not an integer >= 1; {LINE}")
            for word in ("NA", "nan", "NaN", "null", "None", "inf", "INF")
        ],
        ("na.csv", "id,NA\n1,3\n", ["--column", "2"], f"na.csv line 1: 'NA' is not an integer >= 1; {LINE}"),
        # T1: 19 digits from 2^63 up overflowed numpy's cast
        ("big.txt", "3\n9223372036854775808\n", [], f"big.txt line 2: '9223372036854775808' is above 2^63 - 1, the largest size handled; {LINE}"),
        ("big.csv", "id,s\n1,3\n2,9999999999999999999\n", ["--column", "s"], f"big.csv line 3: '9999999999999999999' is above 2^63 - 1, the largest size handled; {LINE}"),
        # U2: an empty name in the header is named
        ("e.csv", "id,size,\n1,3,\n", [], "e.csv has 3 columns (['id', 'size', '']; column 3 has no name); name the sizes' column with --column"),
        ("e.csv", "id,size,\n1,3,\n", ["--column", "3"], f"e.csv line 2: '' is not an integer >= 1; {LINE}"),
        # U5: a text file named .parquet
        ("fake.parquet", "3\n4\n", [], "fake.parquet is named .parquet but is not a Parquet file (it does not start with PAR1); give the Parquet file, or name a text file of sizes .txt or .csv"),
        ("fake.parquet", "3\n4\n", ["--column", "k"], "fake.parquet is named .parquet but is not a Parquet file (it does not start with PAR1); give the Parquet file, or name a text file of sizes .txt or .csv"),
        # U6: the figure's folder is a file
        ("good.txt", "3\n4\n", ["--plot", "good.txt/x.png"], "--plot good.txt/x.png: good.txt is a file, not a folder; give a path in a folder"),
        ("good.txt", "3\n4\n", ["--plot", "good.txt/a/x.png"], "--plot good.txt/a/x.png: good.txt is a file, not a folder; give a path in a folder"),
        # U10: numpy.savetxt's default float format
        ("s.txt", "1.000000000000000000e+00\n", [], "s.txt line 1: '1.000000000000000000e+00' is not an integer >= 1; write the sizes as integers, e.g. numpy.savetxt(path, sizes, fmt='%d')"),
        ("s.txt", "3\n2.5\n", [], f"s.txt line 2: '2.5' is not an integer >= 1; {LINE}"),  # no hint
    ],
)  # fmt: skip
def test_a_red_team_file_is_one_exact_line(
    tmp_path, monkeypatch, capsys, name, text, args, message
):
    monkeypatch.chdir(tmp_path)
    written(tmp_path, name, text)
    assert refused(capsys, "fit", name, *args) == f"scaleinv: error: {message}\n"
    assert [p.name for p in tmp_path.iterdir()] == [name] and (tmp_path / name).read_text() == text


def test_a_corrupt_parquet_page_is_one_line(tmp_path, monkeypatch, capsys):
    """T4: the schema reads, the page does not (a polars ComputeError traceback before)."""
    monkeypatch.chdir(tmp_path)
    corrupt_parquet(tmp_path / "bad.parquet")
    before = (tmp_path / "bad.parquet").read_bytes()
    err = refused(capsys, "fit", "bad.parquet", "--column", "k")
    assert err.startswith("scaleinv: error: bad.parquet is not a readable Parquet file (")
    assert err.endswith(")\n") and err.count("\n") == 1 and len(err) < 150, err
    assert (tmp_path / "bad.parquet").read_bytes() == before


def test_a_plot_format_that_needs_latex_is_refused_before_the_fit(tmp_path, capsys):
    """T3: .pgf passed the suffix check and failed after the fit (matplotlib runs xelatex)."""
    from matplotlib.backend_bases import FigureCanvasBase

    path = written(tmp_path, "good.txt", "\n".join(map(str, SIZES)) + "\n")
    formats = sorted(set(FigureCanvasBase.get_supported_filetypes()) - {"pgf"})
    assert refused(capsys, "fit", path, "--plot", tmp_path / "x.pgf") == (
        f"scaleinv: error: --plot {tmp_path / 'x.pgf'}: matplotlib writes .pgf through LaTeX "
        f"(xelatex), which is not checked before the fit; end the name with one of "
        f".{', .'.join(formats)}\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["good.txt"]


@pytest.mark.parametrize(
    "args,message",
    [
        (["--seed", "9" * 23], f"argument --seed: must be >= 0 and <= 9,223,372,036,854,775,807 (got '{'9' * 23}')"),
        (["--seed", "9223372036854775808"], "argument --seed: must be >= 0 and <= 9,223,372,036,854,775,807 (got '9223372036854775808')"),
        (["--xmin", "0" * 29 + "9" * 20], f"argument --xmin: 'auto' or an integer in [1, 2^63 - 1] (got '{'0' * 29 + '9' * 20}')"),
        (["--xmin", "0" * 49], f"argument --xmin: 'auto' or an integer in [1, 2^63 - 1] (got '{'0' * 49}')"),
        (["--replicates", "0" * 30 + "100001"], "argument --replicates: must be >= 1 and <= 100,000 (got 100001)"),
    ],
)  # fmt: skip
def test_an_option_out_of_range_is_exit_2_whatever_its_zeros(tmp_path, capsys, args, message):
    """U7: one range check on the integer's value (the library refused a huge seed with exit
    1; leading zeros were cut at 20 characters)."""
    path = written(tmp_path, "good.txt", "3\n4\n")
    with pytest.raises(SystemExit) as exit_:
        main(["fit", str(path), *args])
    out, err = capsys.readouterr()
    assert (
        exit_.value.code == 2
        and out == ""
        and err.splitlines()[-1] == f"scaleinv fit: error: {message}"
    )
    assert "Traceback" not in err


def test_leading_zeros_and_the_largest_seed_are_taken(tmp_path, capsys):
    path = written(tmp_path, "good.txt", "\n".join(map(str, SIZES)) + "\n")
    main(
        ["fit", str(path), "--xmin", "0" * 20 + "5", "--seed", str(2**63 - 1), "--replicates", "5"]
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == main_line(Fit(SIZES, xmin=5)) and f"seed {2**63 - 1})" in lines[2]


def quoted(rows, quote_sizes):
    return "".join(f'"{i}",' + (f'"{v}"' if quote_sizes else f"{v}") + "\n" for i, v in rows)


@pytest.mark.parametrize(
    "name,text",
    [
        # U1: R's write.csv(data.frame(size = x)): quoted row names under an empty name
        ("r.csv", '"","size"\n' + quoted(enumerate(SIZES, 1), False)),
        # pandas' to_csv(quoting=csv.QUOTE_ALL, index=False)
        ("p.csv", '"id","size"\n' + quoted(enumerate(SIZES), True)),
        # U2: European CSV, and a trailing delimiter (an unnamed empty column)
        ("e.csv", "id;size\n" + "".join(f"{i};{v}\n" for i, v in enumerate(SIZES))),
        ("e.txt", "id;size\n" + "".join(f"{i};{v}\n" for i, v in enumerate(SIZES))),
        ("t.csv", "id,size,\n" + "".join(f"{i},{v},\n" for i, v in enumerate(SIZES))),
        ("q.txt", '"size"\n' + "".join(f'"{v}"\n' for v in SIZES)),  # one quoted column
    ],
)
def test_quoted_and_semicolon_files_are_read(tmp_path, capsys, name, text):
    path = written(tmp_path, name, text)
    column = [] if name == "q.txt" else ["--column", "size"]
    main(["fit", str(path), "--replicates", "5", *column])
    out = capsys.readouterr().out.splitlines()
    source = path if name == "q.txt" else f"{path} column 'size'"
    assert out[0] == f"{source}: 2,000 sizes, {len(set(SIZES))} distinct"
    assert out[1] == main_line(Fit(SIZES))


def test_pandas_quote_all_with_its_index_is_read(tmp_path, capsys):
    pd = pytest.importorskip("pandas")
    import csv

    path = tmp_path / "p.csv"
    pd.DataFrame({"size": SIZES}).to_csv(path, quoting=csv.QUOTE_ALL)
    assert path.read_text().startswith('"","size"\n"0","')
    main(["fit", str(path), "--replicates", "5", "--column", "size"])
    assert capsys.readouterr().out.splitlines()[1] == main_line(Fit(SIZES))
