"""Seconds per epoch of the `mlp` experiment (784-70-50-35-10 sigmoid, Adam 0.005,
batch 100, Fashion-MNIST): our trainer vs the usual loops, measured in the same run.

  tutorial:  DataLoader over torchvision's FashionMNIST with transforms.ToTensor()
  tensor_ds: DataLoader over a TensorDataset of the whole training set
  ours:      scaleinv.learn.training.train (whole tensors, seeded permutation, fused Adam)

Each variant runs in its own process, so the peak memory printed is its own.
Needs results/data/fashion_mnist.npz and Fashion-MNIST's original files in a
data.mirrors directory (Debian: dataset-fashion-mnist). Usage:
    .venv/bin/python benchmarks/bench_training.py [--epochs 2]
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
import yaml

REPO = Path(__file__).resolve().parents[1]
VARIANTS = ("tutorial", "tensor_ds", "ours")
SETTINGS = {"optimizer": "adam", "lr": 0.005, "batch": 100, "snapshots": [], "compile": False}


def mlp():
    from scaleinv.learn.models.mlp import MLPClassifier

    torch.manual_seed(0)
    return MLPClassifier(784, [70, 50, 35], 10, "sigmoid")


def loader_epochs(loader, epochs):
    """The textbook loop; returns seconds per epoch."""
    model = mlp()
    optimizer = torch.optim.Adam(model.parameters(), lr=SETTINGS["lr"])
    seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        for x, y in loader:
            loss = model.loss(x.flatten(1), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - start)
    return seconds


def run_variant(variant, epochs):
    from torch.utils.data import DataLoader, TensorDataset

    from scaleinv.datasets.read import read_dataset
    from scaleinv.learn.training import Schedule, Splits, train

    data = read_dataset(REPO / "results/data/fashion_mnist.npz", "fashion_mnist")
    splits = Splits.on(data, torch.device("cpu"))
    if variant == "ours":
        schedule = Schedule.of({**SETTINGS, "epochs": epochs}, "bench")
        ((_, rows),) = train([mlp()], [0], data=splits, schedule=schedule)
        return [row["seconds"] for row in rows]
    if variant == "tensor_ds":
        dataset = TensorDataset(splits.x["train"], splits.y["train"])
        return loader_epochs(DataLoader(dataset, batch_size=100, shuffle=True), epochs)
    return loader_epochs(
        DataLoader(torchvision_fashion_mnist(), batch_size=100, shuffle=True), epochs
    )


def torchvision_fashion_mnist():
    from torchvision import datasets, transforms
    from torchvision.datasets.utils import extract_archive

    from scaleinv.datasets.catalog import IDX_FILES
    from scaleinv.datasets.sources import locate

    config = yaml.safe_load((REPO / "config.yaml").read_text())
    spec = config["datasets"]["fashion_mnist"]
    files = locate(
        "fashion_mnist",
        IDX_FILES,
        spec["checksums"],
        [],
        config["data"]["mirrors"],
        "/nonexistent",
        False,
    )
    root = Path(tempfile.mkdtemp())
    (root / "FashionMNIST/raw").mkdir(parents=True)
    for path in files.values():
        extract_archive(path, root / "FashionMNIST/raw")
    return datasets.FashionMNIST(root, train=True, transform=transforms.ToTensor())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        seconds = run_variant(args.variant, args.epochs)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"seconds": min(seconds), "peak_mb": peak_mb}))
        return
    print(f"mlp on Fashion-MNIST, {torch.get_num_threads()} threads, best of {args.epochs} epochs")
    results = {}
    for variant in VARIANTS:
        out = subprocess.run(
            [sys.executable, __file__, "--variant", variant, "--epochs", str(args.epochs)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        results[variant] = json.loads(out.stdout.splitlines()[-1])
    ours = results["ours"]["seconds"]
    print(f"{'variant':<10} {'s/epoch':>8} {'x ours':>7} {'peak MB':>8}")
    for variant, result in results.items():
        ratio = result["seconds"] / ours
        print(f"{variant:<10} {result['seconds']:8.2f} {ratio:7.1f} {result['peak_mb']:8.0f}")


if __name__ == "__main__":
    main()
