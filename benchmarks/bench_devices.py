"""Seconds per epoch on the CPU and on CUDA, measured in the same run, for the default
config's `mlp` and `cnn_ae` on Fashion-MNIST, through the workflow's own trainer
(`train_experiment`: snapshots and metrics written as the rules write them).

`device: auto` must pick CUDA here; the CUDA run's snapshot is then coded on the CPU, as
the `codes` rule would, to show the files move between devices. Needs
results/data/fashion_mnist.npz and a CUDA device. Usage:
    python benchmarks/bench_devices.py [--epochs 3]
"""

import argparse
import logging
import statistics
import tempfile
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import torch
from common import dataset_path, experiment_of

from scaleinv.learn.network_codes import write_network_codes
from scaleinv.learn.training import resolve_device, train_experiment

EXPERIMENTS = ("mlp", "cnn_ae")


def seconds_per_epoch(name, device, epochs, workdir):
    """Median seconds of the epochs after the first (which pays for warm-up) of seed 0 of
    config.yaml's experiment `name`, trained for `epochs` on `device`."""
    experiment = experiment_of(name)
    settings = {**experiment.settings, "device": device, "epochs": epochs}
    experiment = replace(experiment, settings={**settings, "snapshots": [epochs], "seeds": [0]})
    snapshot = workdir / f"{name}-{device}.pt"
    metrics = workdir / f"{name}-{device}.parquet"
    handler = EpochLines()
    logger = logging.getLogger("scaleinv.learn.training")
    logger.addHandler(handler)
    logger.setLevel("INFO")
    try:
        threads = torch.get_num_threads()
        train_experiment(
            experiment,
            seeds=[0],
            threads=threads,
            dataset_path=dataset_path(experiment),
            snapshot_paths=[snapshot],
            metrics_paths=[metrics],
        )
    finally:
        logger.removeHandler(handler)
    seconds = [float(line.split()[2].rstrip("s")) for line in handler.lines]
    assert len(seconds) == epochs and pq.read_table(metrics).num_rows == epochs
    return experiment, snapshot, statistics.median(seconds[1:])


class EpochLines(logging.Handler):
    """Keeps the trainer's per-epoch timing lines ("epoch 2/3 1.23s for seeds [0]")."""

    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        message = record.getMessage()
        if message.startswith("epoch ") and " for seeds " in message:
            self.lines.append(message)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    picked = resolve_device("auto", "bench")
    print(f"device auto -> {picked}; {torch.get_num_threads()} CPU threads")
    assert picked.type == "cuda", "no CUDA device here"
    print(f"{torch.cuda.get_device_name()}, torch {torch.__version__}")
    print(f"{'experiment':<10} {'cpu s/epoch':>12} {'cuda s/epoch':>13} {'cpu / cuda':>11}")
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        for name in EXPERIMENTS:
            cpu = seconds_per_epoch(name, "cpu", args.epochs, workdir)[2]
            experiment, snapshot, cuda = seconds_per_epoch(name, "cuda", args.epochs, workdir)
            print(f"{name:<10} {cpu:12.2f} {cuda:13.3f} {cpu / cuda:11.1f}")
            codes = workdir / f"{name}-codes.parquet"
            threads = torch.get_num_threads()
            dataset = dataset_path(experiment)
            write_network_codes(experiment, 0, args.epochs, threads, dataset, snapshot, codes)
            print(f"  codes of the CUDA-trained {name}: {pq.read_table(codes).num_rows} rows")


if __name__ == "__main__":
    main()
