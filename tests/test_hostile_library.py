"""Issue 36: the library `scaleinv.powerlaw.Fit` and the `scaleinv fit` command under the
inputs a hostile user tries. Each case is one line naming the value (and where it is), a
non-zero exit where it is an error, no traceback, and the input left byte-identical; the
table of cases and messages is docs/input-validation.md's "The library and `scaleinv fit`"."""

import gzip
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml
from snakemake.utils import validate

from conftest import REPO
from scaleinv.cli import main
from scaleinv.errors import ScaleinvError
from scaleinv.plan.config import config_problems
from scaleinv.powerlaw import Fit, FitWarning, positive_integers
from scaleinv.stats.layer import FitSettings, fit_layer
from scaleinv.stats.powerlaw_fit import ALPHA_RANGE, _ks_distances, _ks_distances_plain

ABOVE = "above 9223372036854775807 (2^63 - 1, the largest size int64 holds)"


# Item 1: one validation of a sample, exact before any cast.
@pytest.mark.parametrize(
    "values,message",
    [
        (np.array([3, 2**64 - 1], np.uint64), f"holds 18446744073709551615 (position 2), {ABOVE}"),
        ([3, 2**64 - 1], f"holds 18446744073709551615 (position 2), {ABOVE}"),
        ([3, 2**63], f"holds 9223372036854775808 (position 2), {ABOVE}"),
        ([1, 10**5000], f"holds an integer of about 5,001 digits (position 2), {ABOVE}"),
        (np.array([1, 1e20]), f"holds 1e+20 (position 2), {ABOVE}"),
        (np.array([2, 2.0**63]), f"holds 9.223372036854776e+18 (position 2), {ABOVE}"),
        ([4, float("nan")], "holds nan (position 2), not a finite number"),
        (np.array([4, 5, -np.inf]), "holds -inf (position 3), not a finite number"),
        ([True, 2], "holds True (position 1), a boolean, not a size"),
        ([2, np.bool_(False)], "holds False (position 2), a boolean, not a size"),
        (np.array([True, False]), "holds True (position 1), a boolean, not a size"),
        (np.array([1, 2**70], object), f"holds 1180591620717411303424 (position 2), {ABOVE}"),
        (np.array([1, "7"], object), "holds '7' (position 2), a str, not an integer >= 1"),
        ([1, None], "holds None (position 2), a NoneType, not an integer >= 1"),
        ([1, [2, 3]], "holds [2, 3] (position 2), a list, not an integer >= 1"),
        (np.array(["1", "2"]), "holds '1' (position 1), a str, not an integer >= 1"),
        (np.array([1 + 2j]), "holds (1+2j) (position 1), a complex, not an integer >= 1"),
        (np.array([5, 0], np.uint8), "holds 0 (position 2), not an integer >= 1"),
        ([1, np.float32(2.5)], "holds 2.5 (position 2), not an integer >= 1"),
        (np.zeros((2, 2)), "must be a one-dimensional list of sizes (got shape (2, 2))"),
        (5, "must be a sequence of sizes (got 5)"),
        ("123", "must be a sequence of sizes (got '123')"),
    ],
)
def test_a_value_that_is_not_a_size_is_named_with_its_position(values, message):
    with pytest.raises(ScaleinvError) as error:
        positive_integers(values)
    assert message in str(error.value) and "\n" not in str(error.value)
    assert len(str(error.value)) < 300


def test_a_long_value_is_cut_in_the_message():
    with pytest.raises(ScaleinvError) as error:
        positive_integers([2, "x" * 10**6])
    assert "(1,000,002 characters) (position 2)" in str(error.value)
    assert len(str(error.value)) < 200


@pytest.mark.parametrize(
    "values",
    [
        np.array([1, 2**63 - 1], np.uint64),
        [1, 2**63 - 1],
        np.array([1, 2**63 - 1], object),
        np.array([3.0, 2.0**62]),
        [1, 2.0, np.int8(3), np.uint64(4)],
        range(1, 5),
        (size for size in (1, 2)),
    ],
)
def test_every_numeric_kind_of_size_is_taken_exactly(values):
    taken = positive_integers(values)
    assert taken.dtype == np.int64 and taken.min() >= 1
    assert [int(v) for v in taken] == [int(v) for v in np.asarray(list(taken))]


def test_a_wrapped_size_never_reaches_the_fit():
    with pytest.raises(ScaleinvError, match=r"\(position 1\), above"):
        Fit(np.array([2**64 - 1] + [2] * 50 + [3] * 30, np.uint64))


# Item 3: fits that say when they are not fits.
UNIFORM = np.random.default_rng(0).integers(1, 101, 2000)
ZIPF = np.random.default_rng(0).zipf(2.5, 2000)


def test_alpha_at_the_search_bound_is_flagged_not_reported_as_a_fit():
    with pytest.warns(FitWarning, match="alpha = 30.0000 is a bound of the search"):
        fit = Fit(UNIFORM)
    assert fit.alpha == ALPHA_RANGE[1] and fit.at_bound
    assert fit.warnings == (
        "alpha = 30.0000 is a bound of the search (ALPHA_RANGE = 1.001 to 30), not an "
        f"estimate: the tail from x_min = {fit.xmin} does not decay like a power law",
        f"the tail spans less than a decade (x_min = {fit.xmin} to its largest size, 100): "
        "over so short a range a power law cannot be told from other laws",
    )
    layer = fit_layer(fit.sample, FitSettings(bootstrap=20), np.random.default_rng(0))
    assert layer.warning == "; ".join(fit.warnings) and layer.status == "ok"


def test_an_xmax_less_than_a_decade_above_xmin_is_flagged():
    with pytest.warns(FitWarning, match="x_max = 30 is less than a decade above x_min = 5"):
        fit = Fit(ZIPF, xmin=5, xmax=30)
    assert not fit.at_bound and len(fit.warnings) == 1


def test_a_power_law_has_no_warning(recwarn):
    fit = Fit(ZIPF)
    assert fit.warnings == () and not fit.at_bound and not recwarn.list
    assert (
        fit_layer(fit.sample, FitSettings(bootstrap=20), np.random.default_rng(0)).warning is None
    )


@pytest.mark.parametrize(
    "sample,settings,message",
    [
        ([5] * 40, {}, "the sizes in range all equal 5 (40 of 40): a tail of fewer than two"),
        (ZIPF, {"xmin": 10**6}, "xmin = 1000000 leaves no two distinct sizes (the largest"),
        (ZIPF, {"xmax": 2, "xmin": 3}, "xmax = 2 must be above xmin = 3"),
        ([4, 5, 6] * 10, {"xmax": 3}, "xmax = 3 is below the smallest size, 4: no size is left"),
        (ZIPF, {"xmax": 0}, "xmax must be None or an integer in [1, 2^63 - 1] (got 0)"),
        (ZIPF, {"xmax": True}, "xmax must be None or an integer in [1, 2^63 - 1] (got True)"),
        (ZIPF, {"xmax": 2**70}, "xmax must be None or an integer in [1, 2^63 - 1] (got 1180"),
        (
            ZIPF,
            {"xmin": 2.0},
            "xmin must be None, 'auto', an integer in [1, 2^63 - 1] or a (low, high) range of them (got 2.0)",
        ),
    ],
)
def test_a_range_with_no_fit_names_the_setting(sample, settings, message):
    with pytest.raises(ScaleinvError) as error:
        Fit(sample, **settings)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize(
    "method,settings,message",
    [
        ("p_value", {"replicates": 0}, "replicates must lie in [1, 100,000] (got 0)"),
        ("p_value", {"replicates": -5}, "replicates must lie in [1, 100,000] (got -5)"),
        ("p_value", {"replicates": 10**9}, "replicates must lie in [1, 100,000] (got 1000000000)"),
        ("p_value", {"replicates": 2.5}, "replicates must be an integer (got 2.5)"),
        ("p_value", {"seed": -1}, "seed must lie in [0, 9,223,372,036,854,775,807] (got -1)"),
        ("bootstrap_ci", {"replicates": True}, "replicates must be an integer (got True)"),
        ("bootstrap_ci", {"level": 1.5}, "level must lie strictly between 0 and 1 (got 1.5)"),
        ("report", {"threads": 0}, "threads must lie in [1, 1,024] (got 0)"),
    ],
)
def test_a_bad_count_for_a_fit_method_is_one_line(method, settings, message):
    with pytest.raises(ScaleinvError) as error:
        getattr(Fit(ZIPF), method)(**settings)
    assert str(error.value) == message


# Item 4: the CLI checks before it works; one line, exit 1, every input byte-identical.
def digests(folder):
    """SHA-256 of every regular file in `folder` (FIFOs and folders are never opened)."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.iterdir()
        if path.is_file() and not path.is_symlink()
    }


@pytest.fixture
def files(tmp_path, monkeypatch):
    """A folder of hostile inputs beside good.txt (2,000 sizes of zipf(2.5)), as cwd."""
    monkeypatch.chdir(tmp_path)
    good = "\n".join(map(str, ZIPF)) + "\n"
    Path("good.txt").write_text(good)
    Path("sizes").write_text(good)
    Path("good.gz").write_bytes(gzip.compress(good.encode()))
    np.savez("a.npz", sizes=ZIPF)
    np.save("a.npy", ZIPF)
    Path("utf16.txt").write_bytes(good.encode("utf-16"))
    Path("latin1.txt").write_bytes("3\n4\ncafé\n".encode("latin-1"))
    Path("binary.txt").write_bytes(b"3\n\x00\x01\x02")
    Path("digits.txt").write_text("3\n" + "9" * 5000 + "\n")
    Path("wide.txt").write_text("3\n4\n" + "x" * 10**6 + "\n")
    Path("twenty.txt").write_text("3\n18446744073709551616\n")
    pl.DataFrame({"s": [str(v) for v in ZIPF], "k": ZIPF}).write_parquet("table.parquet")
    Path("fake.parquet").write_text("3\n4\n")
    Path("folder").mkdir()
    os.mkfifo("fifo")
    return tmp_path


LINE = "write one size (the number of inputs sharing a code) per line"
FORMATS = "end the name with one of .avif, .eps"


@pytest.mark.parametrize(
    "args,message",
    [
        (["sizes", "--plot", "sizes"], "--plot sizes is the input file; give another path"),
        (["good.txt", "--plot", "./good.txt"], "--plot good.txt is the input file; give"),
        (["good.txt", "--plot", "folder"], "--plot folder is a directory; give a file name"),
        (["good.txt", "--plot", "no/ccdf.png"], "--plot no/ccdf.png: its folder no does not"),
        (["good.txt", "--plot", "ccdf.txt"], f"matplotlib writes no .txt file; {FORMATS}"),
        (["good.txt", "--plot", "ccdf"], f"matplotlib writes no suffix-less file; {FORMATS}"),
        (["good.txt", "--plot", "fifo"], "--plot fifo is not a regular file but a FIFO"),
        (["good.gz"], "good.gz is gzip-compressed; decompress it first (gunzip)"),
        (["a.npz"], "a.npz is a zip archive (a .npz?); write the sizes one per line"),
        (["a.npy"], "a.npy is a .npy array; write the sizes one per line"),
        (["utf16.txt"], "utf16.txt is UTF-16 text; save it as UTF-8"),
        (["latin1.txt"], "latin1.txt is not UTF-8 text (byte 0xe9 at byte 8); save it as"),
        (["binary.txt"], f"binary.txt is a binary file (a NUL byte at byte 3), not text; {LINE}"),
        (["digits.txt"], "digits.txt line 2: '99999999999999999999999999999999999999999999"),
        (["twenty.txt"], "twenty.txt line 2: '18446744073709551616' is above 2^63 - 1"),
        (["wide.txt"], "wide.txt line 3: 'xxxxxxxxxxxx"),
        (["folder"], "folder is not a regular file but a directory; give a file"),
        (["fifo"], "fifo is not a regular file but a FIFO; give a file"),
        (["/dev/zero"], "/dev/zero is not a regular file but a character device; give a file"),
        (["-"], "sizes are read from a file, not standard input; give a file"),
        (["missing.txt"], "missing.txt does not exist; give a file of sizes"),
        (["table.parquet", "--column", "s"], "column 's' holds String values, not integers"),
        (["good.txt", "--column", "k"], "good.txt has no column 'k' (1 column, no header)"),
        (["fake.parquet", "--column", "k"], "fake.parquet is named .parquet but is not a Parquet"),
        (["good.txt", "--xmax", "3", "--xmin", "5"], "xmax = 3 must be above xmin = 5"),
    ],
)
def test_a_bad_cli_input_is_one_line_before_any_fit(files, capsys, args, message):
    before = digests(files)
    with pytest.raises(SystemExit) as exit_:
        main(["fit", *args])
    out, err = capsys.readouterr()
    assert exit_.value.code == 1 and out == ""
    assert err.startswith("scaleinv: error: ") and message in err and err.count("\n") == 1, err
    assert len(err) < 400 and "Traceback" not in err
    assert digests(files) == before  # nothing written, nothing changed


@pytest.mark.parametrize(
    "args,message",
    [
        (["--replicates", "0"], "argument --replicates: must be >= 1 and <= 100,000 (got 0)"),
        (["--replicates", "-5"], "argument --replicates: must be >= 1 and <= 100,000 (got -5)"),
        (["--replicates", "10**9"], "argument --replicates: not an integer (got '10**9')"),
        (
            ["--seed", "-1"],
            "argument --seed: must be >= 0 and <= 9,223,372,036,854,775,807 (got -1)",
        ),
        (["--threads", "0"], "argument --threads: must be >= 1 and <= 1,024 (got 0)"),
        (["--xmax", "0"], "argument --xmax: must be >= 1 and <= 9,223,372,036,854,775,807"),
        (["--xmin", "9" * 30], "argument --xmin: 'auto' or an integer in [1, 2^63 - 1]"),
    ],
)
def test_a_bad_option_is_refused_by_its_type(files, capsys, args, message):
    with pytest.raises(SystemExit) as exit_:
        main(["fit", "good.txt", *args])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and message in err.splitlines()[-1], err


def test_a_plot_without_matplotlib_is_refused_before_the_fit(files, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.backend_bases", None)
    with pytest.raises(SystemExit):
        main(["fit", "good.txt", "--plot", "ccdf.png"])
    assert capsys.readouterr().err == (
        "scaleinv: error: --plot needs matplotlib, which is not installed; "
        "pip install 'scaleinv[plots]'\n"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permission bits")
def test_a_plot_into_a_read_only_folder_is_refused_before_the_fit(files, capsys):
    Path("locked").mkdir(mode=0o555)
    with pytest.raises(SystemExit):
        main(["fit", "good.txt", "--plot", "locked/ccdf.png"])
    assert "its folder locked is not writable" in capsys.readouterr().err


def test_the_cli_prints_the_replicates_drawn_a_warning_and_takes_2_to_the_33(files, capsys):
    Path("uniform.txt").write_text("\n".join(map(str, UNIFORM[:600] * 2**26)) + "\n")
    main(["fit", "uniform.txt", "--replicates", "20", "--plot", "ccdf.png"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].startswith("warning: not a power-law fit: alpha = 30.0000 is a bound")
    assert lines[3].startswith("warning: not a power-law fit: the tail spans less than a decade")
    assert re.search(r"; \d+ bootstrap replicates of at most 20, sequential test", lines[4])
    assert max(UNIFORM[:600] * 2**26) >= 2**32 and Path("ccdf.png").stat().st_size > 0


def test_a_broken_pipe_exits_quietly(files):
    run = subprocess.Popen(
        [sys.executable, "-m", "scaleinv.cli", "fit", "good.txt", "--replicates", "10"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    run.stdout.close()  # the reader leaves before the summary is written
    assert run.wait(timeout=120) == 1 and run.stderr.read() == b""


# Item 5: config types as the user meant them (2.0 is no integer), maxima on every count,
# a de-duplicating null beside its target.
SCHEMA_PATH = REPO / "workflow/schemas/config.schema.yaml"
SCHEMA = yaml.safe_load(SCHEMA_PATH.read_text())


def config_errors(config):
    return config_problems(config, SCHEMA, lambda c: validate(c, str(SCHEMA_PATH)))


def integer_keys(node=SCHEMA, path=()):
    """(path of schema `properties` names, an integer it allows, whether it is a list's item)
    for every integer key of the schema: plain, a list's items, or one of a oneOf."""
    for name, spec in node.get("properties", {}).items():
        options = [spec, spec.get("items", {}), *spec.get("oneOf", [])]
        integer = next((o for o in options if o.get("type") == "integer"), None)
        if integer is not None:
            default = spec.get("default")
            value = default if type(default) is int else integer.get("minimum", 1)
            yield (*path, name), value, integer is spec.get("items")
        yield from integer_keys(spec, (*path, name))


def placed(config, path, value):
    """`config` with `value` at the schema path (an experiment's keys go on mlp, a
    dataset's on digits)."""
    where = {"experiment": ("experiments", "mlp"), "dataset": ("datasets", "digits")}
    keys = (*where.get(path[0], (path[0],)), *path[1:]) if path[0] in where else path
    node = config
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value
    return ".".join(keys)


def every_integer_key():
    keys = [*integer_keys(), *integer_keys(SCHEMA["$defs"]["experiment"], ("experiment",))]
    return [*keys, *integer_keys(SCHEMA["$defs"]["dataset"], ("dataset",))]


@pytest.mark.parametrize("path,value,listed", every_integer_key(), ids=lambda p: str(p))
def test_a_whole_float_for_an_integer_key_is_refused_naming_the_int(
    default_config, path, value, listed
):
    key = placed(default_config, path, [float(value)] if listed else float(value))
    where = f"{key}.0" if listed else key
    assert config_errors(default_config) == [
        f"{where} must be an integer: write {value}, not {float(value)!r}"
    ]


def test_every_integer_key_is_covered_and_every_count_has_a_maximum():
    keys = every_integer_key()
    assert len(keys) >= 35
    assert {("scaling", "sizes"), ("scaling", "replicates"), ("scaling", "seeds")} <= {
        path for path, _, _ in keys
    }
    seeds = ("seed", "draws")  # seeds are no counts; draws has its own maximum
    for section in ("analysis", "scaling", "limits", "ising"):
        for name, spec in SCHEMA["properties"][section]["properties"].items():
            options = [spec, spec.get("items", {}), *spec.get("oneOf", [])]
            if any(o.get("type") == "integer" for o in options) and name not in seeds:
                assert any("maximum" in o for o in options), f"{section}.{name}"


@pytest.mark.parametrize(
    "edit,message",
    [
        (
            {"scaling": {"replicates": 1_000_000_000}},
            "scaling.replicates must be <= 1000 (got 1000000000)",
        ),
        ({"analysis": {"bootstrap": 10**6}}, "analysis.bootstrap must be <= 100000 (got 1000000)"),
        ({"scaling": {"sizes": [400.0]}}, "scaling.sizes.0 must be an integer: write 400, not"),
        ({"scaling": {"seeds": 1.0}}, "scaling.seeds must be an integer: write 1, not 1.0"),
        ({"analysis": {"xmin": 2.0}}, "analysis.xmin must be an integer: write 2, not 2.0"),
    ],
)
def test_a_scaling_or_analysis_value_is_one_line(default_config, edit, message):
    for section, values in edit.items():
        default_config.setdefault(section, {}).update(values)
    (problem,) = config_errors(default_config)
    assert problem.startswith(message)


def test_a_whole_float_in_a_sweep_is_refused_like_the_key_it_varies(default_config):
    default_config["sweeps"] = {"s": {"base": "mlp", "axes": {"epochs": [2.0, 3]}}}
    assert config_errors(default_config) == [
        "sweeps.s.axes.epochs[0] must be an integer: write 2, not 2.0"
    ]


def ising_pair(config, **null):
    config["experiments"] = {
        "ising_ae": {"kind": "ising_ae", "dataset": "ising", "widths": [8], "epochs": 2,
                     "snapshots": [2], "seeds": [0, 1], "temperatures": ["2.26", "3.28"]},
        "unique": {"kind": "ising_ae_unique", "dataset": "ising", "target": "ising_ae",
                   "widths": [8], "epochs": 2, "snapshots": [2], **null},
    }  # fmt: skip
    config.pop("sweeps", None)
    config["figures"] = {}
    config["scaling"] = {"experiments": []}
    return config_errors(config)


@pytest.mark.parametrize(
    "null,message",
    [
        (
            {"temperatures": ["1.53", "2.26"]},
            "experiments.unique.temperatures must be temperatures of its target ising_ae "
            "(['2.26', '3.28']) (got ['1.53']); a null is compared with its target at the "
            "same temperature",
        ),
        (
            {"temperatures": ["2.260"], "seeds": [0, 5]},
            "experiments.unique.seeds must be seeds of its target ising_ae ([0, 1]) (got [5]); "
            "a null is compared with its target's codes of the same seed",
        ),
        (
            {"widths": [8, 4], "temperatures": ["3.28"]},
            "experiments.unique.widths has 2 layers, more than its target ising_ae ([8]); a "
            "null's layer is compared with the target's layer of the same name",
        ),
    ],
)
def test_a_deduplicating_null_must_stand_beside_its_target(default_config, null, message):
    assert ising_pair(default_config, **null) == [message]


def test_a_deduplicating_null_at_its_targets_temperatures_passes(default_config):
    assert ising_pair(default_config, temperatures=["2.260"], seeds=[1]) == []


# Item 2's second half: the KS scan in bounded memory, identical to the plain scan.
@pytest.mark.parametrize("chunk", [1, 7, 1000, 1 << 20])
def test_the_chunked_ks_scan_equals_the_plain_one(chunk):
    sample = np.random.default_rng(5).zipf(1.6, 3000)
    values, counts = np.unique(sample, return_counts=True)
    n_tail = np.cumsum(counts[::-1])[::-1]
    starts = np.flatnonzero(n_tail[:-1] >= 10)
    xmins = values[starts].astype(np.float64)
    alpha = np.linspace(1.5, 2.5, len(starts))
    for xmax in (None, int(values[-1])):
        plain = _ks_distances_plain(values, n_tail, starts, xmins, alpha, xmax)
        chunked = _ks_distances(values, n_tail, starts, xmins, alpha, xmax, chunk=chunk)
        assert np.array_equal(chunked, plain)
