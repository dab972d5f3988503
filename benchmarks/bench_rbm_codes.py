"""Why the RBM has ~25,000 distinct codes on MNIST where the paper counts ~2,000 (issue 34).

Trains config.yaml's RBM (CD-1, Adam lr 0.005, batch 100, 10 epochs: the public code's)
with the project's trainer at each hidden size H and reads its codes under every code
definition of `learn.models.rbm.CODES` (gibbs: the public code's one Gibbs step from the
grayscale image; sample: h from a Bernoulli-sampled input; mean_field: p(h|x) > 0.5), on
both splits (M = 60,000 training, 10,000 test images). Printed per (dataset, H, epochs,
seed, code): the distinct codes per split and the test reconstruction error (the mean-field
MSE the trainer logs, `test_loss` in results/train/*/metrics.parquet), and the mean
p(h=1|x) spread (how far the hidden units are from deterministic).

The data come from the verified original files: MNIST from ../shared/datasets/mnist (or
any folder given with --mirror), Fashion-MNIST from /usr/share/datasets/fashion-mnist.
Usage (about 25 s per trained RBM at H = 30 on one idle core):
    .venv/bin/python benchmarks/bench_rbm_codes.py --hidden 30 16 10 --seeds 0 1
"""

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from scaleinv.datasets.build import build_dataset
from scaleinv.datasets.read import Dataset
from scaleinv.learn.models.rbm import CODES, RBM
from scaleinv.learn.training import Schedule, Splits, train

REPO = Path(__file__).resolve().parents[1]
MIRRORS = {
    "mnist": REPO.parent / "shared/datasets/mnist",
    "fashion_mnist": Path("/usr/share/datasets/fashion-mnist"),
}
PAPER_DISTINCT = 2000  # Fig. 2: "the total number (~2000) of distinct states in the RBM"


def load(dataset, mirror, cache):
    """The dataset's arrays from its verified original files, as the trainer reads them."""
    data = {"mirrors": [str(mirror)], "cache": str(cache), "download": False}
    arrays = build_dataset(dataset, {}, data)
    x = {s: arrays[f"x_{s}"].astype(np.float32) / 255.0 for s in ("train", "test")}
    y = {s: arrays[f"y_{s}"].astype(np.int64) for s in ("train", "test")}
    return Dataset(dataset, x, y)


def distinct(bits):
    """Number of distinct rows of a (n, H <= 64) 0/1 tensor: bits packed into one integer."""
    weights = 2 ** torch.arange(bits.shape[1], dtype=torch.int64)
    return len(torch.unique((bits.to(torch.int64) * weights).sum(1)))


def study(dataset, data, hidden, epochs, seeds, lr):
    settings = {"optimizer": "adam", "lr": lr, "batch": 100, "epochs": max(epochs),
                "snapshots": list(epochs), "compile": False}  # fmt: skip
    models = []
    for seed in seeds:
        torch.manual_seed(seed)
        models.append(RBM(data.features, hidden))
    start = time.perf_counter()
    results = train(models, seeds, data=Splits.on(data, torch.device("cpu")),
                    schedule=Schedule.of(settings, "bench"))  # fmt: skip
    seconds = (time.perf_counter() - start) / len(seeds)
    x = {split: torch.from_numpy(values) for split, values in data.x.items()}
    rows = []
    for seed, (snapshots, metrics) in zip(seeds, results, strict=True):
        by_epoch = {row["epoch"]: row for row in metrics}
        for epoch in epochs:
            model = RBM(data.features, hidden)
            model.load_state_dict(snapshots[epoch])
            model.eval()
            p = model.hidden_probability(x["train"])
            undecided = ((p > 0.1) & (p < 0.9)).float().mean().item()
            for code in CODES:
                model.code = code
                generator = torch.Generator().manual_seed(seed)  # as the codes rule
                counts = {s: distinct(model.hidden(x[s], generator)[0][1]) for s in x}
                rows.append({
                    "dataset": dataset, "hidden": hidden, "lr": lr, "epochs": epoch,
                    "seed": seed, "code": code, "distinct_train": counts["train"],
                    "distinct_test": counts["test"],
                    "test_reconstruction_mse": round(by_epoch[epoch]["test_loss"], 5)
                    if epoch in by_epoch else float("nan"),
                    "undecided_units": round(undecided, 3),
                    "train_seconds": round(seconds, 1),
                })  # fmt: skip
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["mnist", "fashion_mnist"])
    parser.add_argument("--hidden", nargs="+", type=int, default=[30])
    parser.add_argument("--epochs", nargs="+", type=int, default=[10])
    parser.add_argument("--lr", nargs="+", type=float, default=[0.005])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--mirror", type=Path, help="folder of MNIST's four IDX files")
    parser.add_argument("--out", type=Path, help="also write the rows as a TSV here")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    mirrors = {**MIRRORS, **({"mnist": args.mirror} if args.mirror else {})}
    writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    rows = []
    with tempfile.TemporaryDirectory() as cache:
        for dataset in args.datasets:
            data = load(dataset, mirrors[dataset], Path(cache))
            for hidden in args.hidden:
                for lr in args.lr:
                    for row in study(dataset, data, hidden, args.epochs, args.seeds, lr):
                        if not rows:
                            writer.writerow(row)
                        writer.writerow(row.values())
                        sys.stdout.flush()
                        rows.append(row)
    if args.out:
        with args.out.open("w", newline="") as stream:
            out = csv.DictWriter(stream, rows[0].keys(), delimiter="\t", lineterminator="\n")
            out.writeheader()
            out.writerows(rows)
    print(f"# the paper: ~{PAPER_DISTINCT} distinct codes (Fig. 2)")


if __name__ == "__main__":
    main()
