import functools
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOW_FILES = ("Snakefile", "config.yaml", "workflow", "scripts", "envs", "profiles")


@pytest.fixture
def default_config():
    return yaml.safe_load((REPO / "config.yaml").read_text())


@pytest.fixture
def workflow_copy(tmp_path):
    """A fresh working copy of the workflow (no results/), for real Snakemake runs."""
    for name in WORKFLOW_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    return tmp_path


def snakemake(workdir, *args, timeout=600):
    """Run Snakemake in `workdir`; returns the CompletedProcess (output in .stdout)."""
    return subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )


def corrupt_fashion_mnist_mirror(workdir):
    """A mirror of Fashion-MNIST whose files are not gzip, and a config override that uses
    only it: the dataset rule must fail. Returns the override's file name."""
    mirror = workdir / "bad-mirror"
    mirror.mkdir()
    for name in (
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
    ):
        (mirror / name).write_bytes(b"\x1f\x8b not really gzip")
    override = {"data": {"mirrors": [str(mirror)], "download": False}}
    (workdir / "offline.yaml").write_text(yaml.safe_dump(override))
    return "offline.yaml"


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
