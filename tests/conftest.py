import functools
import gzip
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from hashlib import sha256
from pathlib import Path

import numpy as np
import pytest
import yaml
from snakemake.utils import validate

from scaleinv.atomic import save_npz
from scaleinv.codes import Layer, write_codes
from scaleinv.datasets.build import build_dataset
from scaleinv.plan.experiments import expand_experiments
from synthetic import idx_files, md5
from workflow_copy import REPO, WORKFLOW_FILES, copy_workflow  # noqa: F401 (for the tests)

TINY = REPO / "tests/configs/tiny.yaml"
# MNIST's four IDX files, re-compressed, beside the project (CI's clone has shared/ beside
# it too); a test that needs them skips with this one line where they are absent
SHARED_MNIST = REPO.parent / "shared/datasets/mnist"
needs_shared_mnist = pytest.mark.skipif(
    not SHARED_MNIST.is_dir(), reason=f"no MNIST folder at {SHARED_MNIST}"
)
RECORDS = ("results/logs", "results/benchmarks")  # timings and messages differ run to run
JOB_HEADER = re.compile(r"^(?:local)?rule (\w+):$")


# Six training inputs with 3-bit codes: sizes 3 (A), 2 (B), 1 (C); labels chosen so that
# code A is pure, B is mixed.
BITS = np.array([[1, 0, 1]] * 3 + [[0, 1, 1]] * 2 + [[1, 1, 1]], np.uint8)
LABELS = np.array([0, 0, 0, 1, 2, 1])


@pytest.fixture
def codes_file(tmp_path):
    layers = [
        Layer("train", "z1", BITS, LABELS, "threshold", 0.5),
        Layer("test", "z1", BITS[:2], None, "threshold", 0.5),
    ]
    path = tmp_path / "epoch3.parquet"
    write_codes(layers, {}, path)
    return path


@pytest.fixture(scope="session")
def digits_npz(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "digits.npz"
    save_npz(
        path,
        build_dataset(
            "digits",
            {"test_fraction": 0.2},
            {"mirrors": [], "cache": str(path.parent), "download": False},
        ),
    )
    return path


def tiny_experiments(edit=None):
    """The experiments of the tiny config (schema defaults filled), after `edit(config)`."""
    config = yaml.safe_load(TINY.read_text())
    if edit:
        edit(config)
    validate(config, str(REPO / "workflow/schemas/config.schema.yaml"))  # fills defaults
    return expand_experiments(config)


@pytest.fixture
def default_config():
    return yaml.safe_load((REPO / "config.yaml").read_text())


@pytest.fixture
def workflow_copy(tmp_path):
    return copy_workflow(tmp_path)


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """One complete, uninterrupted run of the tiny config, shared read-only: tests that
    change it work on `tiny_run_copy`."""
    workdir = copy_workflow(tmp_path_factory.mktemp("tiny-run"))
    shutil.copy(TINY, workdir / "config.yaml")
    run = snakemake(workdir, "--cores", "2")
    assert run.returncode == 0, run.stdout
    return workdir


@pytest.fixture
def tiny_run_copy(tiny_run, tmp_path):
    """A copy of the complete tiny run to change, outputs, mtimes and Snakemake's records
    included (`shutil.copytree` keeps the mtimes Snakemake compares)."""
    return shutil.copytree(tiny_run, tmp_path / "run", symlinks=True)


def outputs_of_jobs(stdout):
    """{output path: rule} for every job a Snakemake run (or dry run) printed, `all` aside."""
    outputs, rule = {}, None
    for line in stdout.splitlines():
        header = JOB_HEADER.match(line)
        if header:
            rule = header.group(1)
        elif rule and rule != "all" and line.startswith("    output: "):
            outputs.update(dict.fromkeys(line.removeprefix("    output: ").split(", "), rule))
            rule = None
    return outputs


def outputs(workdir):
    """{relative path: bytes} of every result, logs, benchmarks and hidden temporaries aside."""
    found = {}
    for path in (workdir / "results").rglob("*"):
        name = path.relative_to(workdir).as_posix()
        if path.is_file() and not name.startswith(RECORDS) and not path.name.startswith("."):
            found[name] = path.read_bytes()
    return found


def survivors(workdir):
    """Processes still working in `workdir` (Linux /proc)."""
    alive = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if Path(os.readlink(proc / "cwd")) == workdir:
                alive.append(proc.name)
        except OSError:
            continue
    return alive


def start_run(workdir):
    """A full run of the workflow in its own process group, so that the whole tree can be
    killed at once (os.killpg)."""
    return subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", "2"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def snakemake(workdir, *args, timeout=600, env=None):
    """Run Snakemake in `workdir` (with `env` added to the environment); returns the
    CompletedProcess (output in .stdout)."""
    return subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=workdir,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )


def fashion_mnist_mirror(workdir, damage):
    """A Fashion-MNIST mirror of small synthetic IDX files whose test labels pass through
    `damage` (None: leave the file out); returns the config override that uses only it,
    with the checksums of the undamaged files."""
    files, _ = idx_files(np.random.default_rng(0))
    checksums = {
        name: {"md5": md5(data), "sha256_uncompressed": sha256(gzip.decompress(data)).hexdigest()}
        for name, data in files.items()
    }
    name = "t10k-labels-idx1-ubyte.gz"
    files[name] = damage(files[name])
    mirror = workdir / "mirror"
    mirror.mkdir()
    for file_name, data in files.items():
        if data is not None:
            (mirror / file_name).write_bytes(data)
    return {
        "data": {"mirrors": [str(mirror)], "download": False},
        "datasets": {"fashion_mnist": {"checksums": checksums}},
    }


@pytest.fixture
def http_root(tmp_path):
    """A loopback HTTP server over a temp directory: yields (directory, base URL)."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def pins():
    """{package: exact version} of envs/constraints.txt, the versions the workflow is tested with."""
    lines = (REPO / "envs/constraints.txt").read_text().splitlines()
    pairs = (line.split("#")[0].strip().split("==") for line in lines)
    return {pair[0].lower(): pair[1] for pair in pairs if len(pair) == 2}
