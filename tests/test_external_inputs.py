"""Issue 24's regression table: nothing wrong passes silently on the sweeps, external codes
and activations, stale inputs, blocking paths and config bombs (docs/input-validation.md).

Each case is a row: its one-line message, or its correct behaviour (a rerun, a refusal).
Config cases run `config_problems` as the workflow does; the cases whose failure was
Snakemake's own (duplicate YAML keys, stale inputs, FIFOs, version skew) run real Snakemake.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from snakemake.utils import validate

from conftest import REPO, TINY, copy_workflow, snakemake
from scaleinv.codes import Layer, read_layer, write_codes
from scaleinv.codes.external import binarize_activations, write_external_codes
from scaleinv.errors import ScaleinvError
from scaleinv.inputs import content_digest, regular_file, unwritable
from scaleinv.plan.config import RESERVED, config_problems, duplicate_key_errors
from scaleinv.plan.experiments import Experiment

SCHEMA_PATH = REPO / "workflow/schemas/config.schema.yaml"
SETTINGS = {"kind": "external", "activation": "sigmoid", "binarization": {"threshold": 0.5}}


def problems(edit):
    config = yaml.safe_load(TINY.read_text())
    edit(config)
    schema = yaml.safe_load(SCHEMA_PATH.read_text())
    return config_problems(config, schema, lambda c: validate(c, str(SCHEMA_PATH)))


def sweep(axes, base="mlp"):
    return lambda config: config.update(sweeps={"s": {"base": base, "axes": axes}})


def experiment(**settings):
    return lambda config: config["experiments"].update(mine={"kind": "external", **settings})


@pytest.mark.parametrize(
    "edit, message",
    [
        pytest.param(
            sweep({"threshold": [0.3, 0.3000001]}),
            "sweeps.s.axes.threshold must not repeat a value: 0.3 and 0.3000001 give the same "
            "point id threshold=0.3 (ids keep 6 significant digits)",
            id="threshold points merged",
        ),
        pytest.param(
            sweep({"lr": [0.001, 0.0010000001]}),
            "sweeps.s.axes.lr must not repeat a value: 0.001 and 0.0010000001 give the same "
            "point id lr=0.001",
            id="lr points merged",
        ),
        pytest.param(
            sweep({"threshold": [float("nan")]}),
            "sweeps.s.axes.threshold[0] must be a finite number (got nan)",
            id="NaN threshold",
        ),
        pytest.param(
            lambda c: c["experiments"]["mlp"].update(lr=float("inf")),
            "experiments.mlp.lr must be a finite number (got inf)",
            id="infinite lr",
        ),
        pytest.param(
            sweep({"temperature": ["0"]}, base="ising_ae"),
            "sweeps.s.axes.temperature must be > 0 (got ['0'])",
            id="sweep temperature 0",
        ),
        pytest.param(
            sweep({"temperature": ["2.26", "2.260"]}, base="ising_ae"),
            "sweeps.s.axes.temperature must not repeat a temperature as a number "
            "(got ['2.26', '2.260'])",
            id="one temperature twice",
        ),
        pytest.param(
            lambda c: c["ising"].update(temperatures=["2.26", "2.260"]),
            "ising.temperatures must not repeat a temperature as a number",
            id="config temperature twice",
        ),
        pytest.param(
            sweep({"epochs": ["3"]}),
            "sweeps.s.axes.epochs[0] must be of type integer (got '3')",
            id="epochs as a string",
        ),
        pytest.param(
            sweep({"width1": [4, 8, 16], "lr": [0.1, 0.2, 0.3], "threshold": [0.4, 0.5]}),
            "sweeps.s has 18 points (3 x 2 x 3 for lr, threshold, width1), more than "
            "limits.sweep_points = 10; shorten its axes, or raise limits.sweep_points to run it",
            id="sweep over its cap",
        ),
        pytest.param(
            lambda c: c.update(
                limits={"jobs": 40},
                sweeps={"s": {"base": "mlp", "axes": {"lr": [0.1, 0.2], "seed": [0, 1, 2]}}},
            ),
            "the config plans about 58 jobs (trainings, codes files, tables), more than "
            "limits.jobs = 40; its largest sweeps: s (2 points); raise limits.jobs to run it",
            id="jobs over their cap",
        ),
        pytest.param(
            lambda c: c["experiments"].update({"mlp2\n": c["experiments"]["mlp"]}),
            "experiments has a name that is not allowed: 'mlp2\\n'",
            id="name ending in a newline",
        ),
        pytest.param(
            lambda c: c["experiments"].update(claims=c["experiments"]["mlp"]),
            "experiments has a reserved name: 'claims', the name of a rule or of a results/ "
            "folder; rename it",
            id="experiment named claims",
        ),
        pytest.param(
            lambda c: c.update(sweeps={"all": {"base": "mlp", "axes": {"lr": [0.1]}}}),
            "sweeps.all: a sweep name is a letter followed by letters, digits, _ or -, and "
            "neither an experiment's name nor a rule's or results/ folder's",
            id="sweep named all",
        ),
        pytest.param(
            experiment(codes="{seed.__class__}.parquet"),
            "experiments.mine.codes may hold {seed} and nothing else in braces (got "
            "'{seed.__class__}.parquet')",
            id="attribute in a template",
        ),
        pytest.param(
            experiment(codes="mine/{foo}.parquet"),
            "experiments.mine.codes may hold {seed} and nothing else in braces",
            id="unknown field in a template",
        ),
        pytest.param(
            experiment(activations="x{.npz"),
            "experiments.mine.activations is not a valid path template (expected '}' before "
            "end of string; write {{ for a literal {)",
            id="unclosed brace in a template",
        ),
        pytest.param(
            experiment(codes="mine.parquet", seeds=[0, 1]),
            "experiments.mine.codes needs {seed} in its path for seeds [0, 1] (got "
            "'mine.parquet'): without it every seed would read the same file",
            id="two seeds, one file",
        ),
    ],
)
def test_a_bad_value_is_one_clear_line(edit, message):
    found = problems(lambda c: (c.setdefault("limits", {"sweep_points": 10}), edit(c)))
    assert len(found) == 1 and found[0].startswith(message), found


def test_every_rule_name_is_reserved_or_a_kinds():
    rules = set()
    for path in [REPO / "Snakefile", *(REPO / "workflow/rules").glob("*.smk")]:
        rules |= set(re.findall(r"^rule (\w+):", path.read_text(), re.M))
    assert rules and rules - RESERVED <= {"tsne"}  # the tsne kind's rule; experiments take it
    for name in ("all", "claims", "dataset"):
        assert name in RESERVED


def test_a_million_point_sweep_is_refused_in_under_5_s():
    axes = {"width1": list(range(1, 101)), "lr": [i / 1000 for i in range(1, 101)]}
    axes["threshold"] = [i / 101 for i in range(1, 101)]
    start = time.perf_counter()
    found = problems(sweep(axes))
    assert time.perf_counter() - start < 5
    assert found == [
        "sweeps.s has 1,000,000 points (100 x 100 x 100 for lr, threshold, width1), more than "
        "limits.sweep_points = 500; shorten its axes, or raise limits.sweep_points to run it"
    ]


def alias_bomb(levels):
    """YAML seeds of 10^levels elements in a few hundred bytes (each anchor aliased 10 times)."""
    node = "&a0 [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]"
    for level in range(1, levels):
        node = f"&a{level} [{node}, " + ", ".join([f"*a{level - 1}"] * 9) + "]"
    return f"experiments:\n  mlp:\n    seeds: [{node}, " + ", ".join([f"*a{levels - 1}"] * 9) + "]"


def test_an_alias_bomb_is_one_short_line_in_a_second():
    start = time.perf_counter()
    found = problems(
        lambda c: c["experiments"]["mlp"].update(
            yaml.safe_load(alias_bomb(9))["experiments"]["mlp"]
        )
    )
    assert time.perf_counter() - start < 2
    assert len(found) == 1 and len(found[0]) < 300, found
    assert found[0].startswith(
        "the config holds more than 100,000 values (at experiments.mlp.seeds"
    )


def test_a_long_value_is_never_repred_whole():
    found = problems(lambda c: c["experiments"]["mlp"].update(widths="x" * 10**7))
    assert len(found) == 1 and len(found[0]) < 200, found[0][:300]


def test_duplicate_keys_are_refused_with_their_lines(tmp_path):
    (tmp_path / "a.yaml").write_text("sweeps:\n  s: {base: mlp}\n  s: {base: ae}\n")
    (tmp_path / "b.yaml").write_text("experiments: {}\nanalysis: {}\n")
    assert duplicate_key_errors([tmp_path / "a.yaml", tmp_path / "b.yaml"]) == [
        f"{tmp_path / 'a.yaml'}: key 's' appears twice in one mapping (lines 2 and 3); the "
        "second would silently replace the first: merge them"
    ]


# --- external files ----------------------------------------------------------------------

BITS = np.array([[1, 0, 1]] * 3 + [[0, 1, 1]] * 2 + [[1, 1, 1]], np.uint8)


def codes_file(path, bits=BITS, split="train", layer="z1", labels=None):
    write_codes([Layer(split, layer, bits, labels, "given")], {}, path)
    return path


def external(**settings):
    return Experiment("mine", "mine", "", {**SETTINGS, **settings})


def rewrite(path, table=None, meta=None, **columns):
    """The codes file at `path` with columns replaced and its scaleinv metadata set to
    `meta` (bytes, or JSON of an object)."""
    table = table or pq.read_table(path)
    for name, values in columns.items():
        table = table.set_column(table.schema.get_field_index(name), name, values)
    if meta is not None:
        raw = meta if isinstance(meta, bytes) else json.dumps(meta).encode()
        table = table.replace_schema_metadata({b"scaleinv": raw})
    pq.write_table(table, path)
    return path


def twelve_bit_codes(path):
    bits = np.unpackbits(np.arange(327, dtype=">u2").view(np.uint8).reshape(-1, 2), axis=1)
    return rewrite(codes_file(path, bits[:, 4:]), meta={"widths": {"z1": 4}})


@pytest.mark.parametrize(
    "make, message",
    [
        pytest.param(
            twelve_bit_codes,
            "325 codes of layer z1 set bits beyond its width 4 in the metadata (they use 12 "
            "bits); set widths.z1 to the bits the codes use",
            id="widths narrower than the codes",
        ),
        *(
            pytest.param(
                lambda p, w=width: rewrite(codes_file(p), meta={"widths": {"z1": w}}),
                f"the widths in its scaleinv metadata must be whole numbers of bits >= 1 (got "
                f"{{'z1': {width!r}}})",
                id=f"width {width!r}",
            )
            for width in (-5, 0, 12.5, "twelve")
        ),
        pytest.param(
            lambda p: rewrite(codes_file(p), code=pa.array([None] * 6, pa.binary(1))),
            "column code has null values; every row needs a sample, split, layer and code",
            id="null codes",
        ),
        pytest.param(
            lambda p: rewrite(codes_file(p), layer=pa.array(["z1"] * 5 + [None])),
            "column layer has null values",
            id="null layer",
        ),
        pytest.param(
            lambda p: codes_file(p, split="validation"),
            "splits must be train or test (got 'validation')",
            id="validation split",
        ),
        pytest.param(
            lambda p: codes_file(p, split="test"),
            "every layer needs training rows (none for z1)",
            id="test-only codes",
        ),
        *(
            pytest.param(
                lambda p, n=name: rewrite(
                    codes_file(p), meta={"widths": {n: 3}}, layer=pa.array([n] * 6)
                ),
                f"layer names must be a letter followed by letters, digits, _ or - (got {name!r})",
                id=f"layer {name!r}",
            )
            for name in ("../../evil", "a\nb", "")
        ),
        pytest.param(
            lambda p: rewrite(codes_file(p), meta=b"{not json"),
            "its scaleinv metadata is not JSON (Expecting property name",
            id="metadata not JSON",
        ),
        pytest.param(
            lambda p: rewrite(codes_file(p), meta=[1, 2]),
            "its scaleinv metadata must be a JSON object with widths",
            id="metadata a list",
        ),
        pytest.param(
            lambda p: rewrite(codes_file(p), label=pa.array([40000] * 6)),
            "column label must hold int16 values",
            id="label out of int16",
        ),
        pytest.param(
            lambda p: codes_file(p, bits=BITS[:0]),
            "every layer needs training rows (none for any layer)",
            id="no rows",
        ),
    ],
)
def test_a_bad_codes_file_is_one_clear_error(tmp_path, make, message):
    path = make(tmp_path / "in.parquet")
    with pytest.raises(ScaleinvError, match=re.escape(message)):
        write_external_codes(external(), 0, path, tmp_path / "out.parquet")
    assert not (tmp_path / "out.parquet").exists()


def test_codes_within_their_widths_are_kept_bit_for_bit(tmp_path):
    path = codes_file(tmp_path / "in.parquet", labels=np.arange(6) - 3)
    write_external_codes(external(), 0, path, tmp_path / "out.parquet")
    _, bits = read_layer(tmp_path / "out.parquet", "z1", "train")
    np.testing.assert_array_equal(bits, BITS)
    assert pq.read_table(tmp_path / "out.parquet")["label"].to_pylist() == [-3, -2, -1, 0, 1, 2]


def npz(path, **arrays):
    np.savez(path, **arrays)
    return path


ROWS = np.random.default_rng(0).random((6, 3))


@pytest.mark.parametrize(
    "make, message",
    [
        pytest.param(
            lambda p: npz(p, z1_train=ROWS, y_train=np.array([0, 1, 2, 3, 4, 40000])),
            "y_train must lie in [-32768, 32767], the contract's int16 (got 0 to 40000)",
            id="label 40000",
        ),
        pytest.param(
            lambda p: npz(p, z1_train=ROWS, y_train=np.array([0, 1, 2, 3, 4, 0.7])),
            "y_train must hold integers (got dtype float64)",
            id="label 0.7",
        ),
        pytest.param(
            lambda p: npz(p, z1_train=np.where(np.arange(6)[:, None] < 2, np.nan, ROWS)),
            "z1_train has 2 rows with NaN or infinite activations (the first: row 0)",
            id="NaN rows",
        ),
        pytest.param(
            lambda p: npz(p, z1_train=ROWS[:0]),
            "z1_train must be a 2-D (samples, units) array with at least one sample and one "
            "unit, and as many units as z1_train (got shape (0, 3))",
            id="0 rows",
        ),
        pytest.param(
            lambda p: npz(p, z1_train=ROWS[:, :0]),
            "(got shape (6, 0))",
            id="0 units",
        ),
        pytest.param(lambda p: npz(p), "got no arrays", id="empty npz"),
        pytest.param(
            lambda p: (np.save(p.with_suffix(".npy"), ROWS), p.with_suffix(".npy").rename(p))[1],
            "holds a single array (an .npy file), not named arrays",
            id="npy renamed",
        ),
        pytest.param(
            lambda p: npz(p, z1_train=np.array([["a", "b"]] * 3)),
            "z1_train must hold numbers (got dtype <U1)",
            id="string activations",
        ),
        pytest.param(
            lambda p: npz(p, z1_train=ROWS, y_train=np.zeros((6, 2), int)),
            "y_train must be a 1-D array of one label per sample; it has shape (6, 2)",
            id="2-D labels",
        ),
        pytest.param(
            lambda p: npz(p, z1_train=np.array([[print]], dtype=object)),
            "holds an array of Python objects, which are never unpickled here",
            id="pickled objects",
        ),
        pytest.param(
            lambda p: (p.write_bytes(b""), p)[1],
            "is not a readable .npz file",
            id="empty file",
        ),
        pytest.param(
            lambda p: npz(p, **{"a-b_train": ROWS, "x_validation": ROWS}),
            "got a-b_train, x_validation",
            id="validation split",
        ),
    ],
)
def test_bad_activations_are_one_clear_error(tmp_path, make, message):
    path = make(tmp_path / "a.npz")
    with pytest.raises(ScaleinvError, match=re.escape(message)):
        write_external_codes(external(), 0, path, tmp_path / "out.parquet")
    assert not (tmp_path / "out.parquet").exists()


def test_integer_labels_in_range_are_kept(tmp_path):
    labels = np.array([-32768, 0, 1, 2, 3, 32767], np.int64)
    path = npz(tmp_path / "a.npz", z1_train=ROWS, y_train=labels)
    (layer,) = binarize_activations(path, "sigmoid", 0.5)
    assert layer.labels.tolist() == labels.tolist() and layer.labels.dtype == np.int16


@pytest.fixture
def no_hang():
    """Fail, rather than hang, a test whose code opens a FIFO."""
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("opened the FIFO"))
    signal.alarm(5)
    yield
    signal.alarm(0)


@pytest.mark.parametrize("suffix", [".parquet", ".npz"])
def test_a_fifo_is_refused_without_opening_it(tmp_path, no_hang, suffix):
    fifo = tmp_path / f"codes{suffix}"
    os.mkfifo(fifo)
    (tmp_path / f"link{suffix}").symlink_to(fifo)
    assert content_digest(fifo) == "not a regular file"
    with pytest.raises(
        ScaleinvError, match=f"{fifo} is not a regular file but a FIFO; give a file"
    ):
        write_external_codes(external(), 0, fifo, tmp_path / "out.parquet")
    with pytest.raises(
        ScaleinvError, match=f"link{suffix} \\(a link to {fifo}\\) is not a regular"
    ):
        regular_file(tmp_path / f"link{suffix}")
    with pytest.raises(
        ScaleinvError, match="/dev/null is not a regular file but a character device"
    ):
        regular_file("/dev/null")


def test_the_digest_follows_content_not_time(tmp_path):
    path = tmp_path / "c.parquet"
    path.write_bytes(b"one")
    first = content_digest(path)
    path.write_bytes(b"two")
    os.utime(path, (0, 0))
    assert content_digest(path) != first
    assert content_digest(tmp_path / "none") == "missing"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permission bits")
def test_a_read_only_results_folder_is_named(tmp_path):
    (tmp_path / "results/fits").mkdir(parents=True)
    assert unwritable(tmp_path / "results") is None
    (tmp_path / "results/fits").chmod(0o555)
    try:
        assert unwritable(tmp_path / "results").startswith(
            f"{tmp_path}/results/fits is not writable"
        )
    finally:
        (tmp_path / "results/fits").chmod(0o755)


# --- through Snakemake --------------------------------------------------------------------

MINE = {
    "data": {"mirrors": [], "download": False},
    "analysis": {"bootstrap": 10, "occupancy_bootstrap": 10, "estimator_bootstrap": 10},
}


def mine_workflow(workdir, **experiment):
    """A workflow copy whose only experiment is external codes `mine`."""
    (workdir / "mine").mkdir()
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 40, 400)
    bits = np.unpackbits(ids.astype(np.uint8)[:, None], axis=1)[:, 2:]
    codes_file(workdir / "mine/seed0.parquet", bits, labels=ids % 10)
    config = {**MINE, "experiments": {"mine": {"kind": "external", **experiment}}}
    (workdir / "config.yaml").write_text(yaml.safe_dump(config))
    return workdir


CODES = "results/codes/mine/seed0/epoch0.parquet"


@pytest.mark.slow
@pytest.mark.snakemake
def test_new_content_with_an_older_mtime_reruns(workflow_copy):
    """cp -p, rsync -t and untar give a replaced file an older mtime than its outputs."""
    mine_workflow(workflow_copy, codes="mine/seed{seed}.parquet")
    assert snakemake(workflow_copy, "--cores", "2", CODES).returncode == 0
    before = (workflow_copy / CODES).read_bytes()
    assert "Nothing to be done" in snakemake(workflow_copy, "--cores", "1", CODES).stdout
    source = workflow_copy / "mine/seed0.parquet"
    codes_file(source, BITS)
    subprocess.run(["touch", "-d", "2001-01-01", str(source)], check=True)
    rerun = snakemake(workflow_copy, "--cores", "1", CODES)
    assert rerun.returncode == 0 and "rule external_codes" in rerun.stdout, rerun.stdout
    assert (workflow_copy / CODES).read_bytes() != before
    _, bits = read_layer(workflow_copy / CODES, "z1", "train")
    np.testing.assert_array_equal(bits, BITS)


@pytest.mark.slow
@pytest.mark.snakemake
def test_a_fifo_input_stops_its_job_with_one_line(workflow_copy):
    mine_workflow(workflow_copy, activations="mine/pipe.npz")
    os.mkfifo(workflow_copy / "mine/pipe.npz")
    run = snakemake(workflow_copy, "--cores", "1", CODES, timeout=120)
    errors = [line for line in run.stdout.splitlines() if line.startswith("error: ")]
    assert run.returncode != 0 and errors == [
        "error: mine/pipe.npz is not a regular file but a FIFO; give a file"
    ], run.stdout
    assert not (workflow_copy / CODES).exists()


@pytest.mark.slow
@pytest.mark.snakemake
@pytest.mark.parametrize("layer", [False, True], ids=["configfile", "--configfile"])
def test_a_duplicate_yaml_key_stops_before_any_job(workflow_copy, layer):
    shutil.copy(TINY, workflow_copy / "config.yaml")
    text = "limits:\n  jobs: 100\nlimits:\n  jobs: 200\n"
    name = "layer.yaml" if layer else "config.yaml"
    with open(workflow_copy / name, "a") as file:
        file.write(text)
    run = snakemake(workflow_copy, "-n", *(("--configfile", name) if layer else ()))
    line = 1 if layer else len(TINY.read_text().splitlines()) + 1
    found = [line for line in run.stdout.splitlines() if line.startswith("invalid config")]
    assert run.returncode != 0 and len(found) == 1, run.stdout
    assert found[0].endswith(
        f"{name}: key 'limits' appears twice in one mapping (lines {line} and {line + 2}); "
        "the second would silently replace the first: merge them"
    )


@pytest.mark.slow
@pytest.mark.snakemake
def test_jobs_compute_with_the_workflows_own_scaleinv(tmp_path):
    """Another scaleinv first on PYTHONPATH (an old install, say) is not what jobs run."""
    (tmp_path / "checkout").mkdir()
    workdir = copy_workflow(tmp_path / "checkout")
    shutil.copytree(REPO / "src", workdir / "src", ignore=shutil.ignore_patterns("__pycache__"))
    mine_workflow(workdir, codes="mine/seed{seed}.parquet")
    other = tmp_path / "elsewhere/scaleinv"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text('__version__ = "0.0.1-other"\nraise ImportError("other")\n')
    run = snakemake(workdir, "--cores", "1", CODES, env={"PYTHONPATH": str(other.parent)})
    assert run.returncode == 0, run.stdout
    first = (workdir / "results/logs/codes/mine/seed0/epoch0.log").read_text().splitlines()[0]
    assert first.endswith(f" from {workdir / 'src/scaleinv'}") and "other" not in first


@pytest.mark.slow
@pytest.mark.snakemake
def test_an_alias_bomb_stops_snakemake_with_one_short_line(workflow_copy):
    shutil.copy(TINY, workflow_copy / "config.yaml")
    (workflow_copy / "bomb.yaml").write_text(alias_bomb(9))
    run = snakemake(workflow_copy, "-n", "--configfile", "bomb.yaml", timeout=60)
    found = [line for line in run.stdout.splitlines() if line.startswith("invalid config")]
    assert run.returncode != 0 and len(found) == 1 and len(found[0]) < 300, run.stdout[-2000:]
    assert len(run.stdout) < 5000
