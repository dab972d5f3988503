"""The converged k-means control against the former one, both timed in this run (docs,
"Design decisions"): best of 3 mini-batch starts then Elkan iterations to tolerance, vs one
random start stopped after 20 Lloyd iterations. Prints both with their inertia and last
`ratio <converged/former>`. Needs results/data/fashion_mnist.npz:
    .venv/bin/python benchmarks/bench_kmeans.py [--clusters 2048]
"""

import argparse
import time
from pathlib import Path

from sklearn.cluster import KMeans

from scaleinv.codes.kmeans import converged_kmeans
from scaleinv.datasets.read import read_dataset

REPO = Path(__file__).resolve().parents[1]


def timed(fit):
    start = time.perf_counter()
    model = fit()
    return time.perf_counter() - start, model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=2048)
    args = parser.parse_args()
    x = read_dataset(REPO / "results/data/fashion_mnist.npz", "fashion_mnist").x["train"]
    former_s, former = timed(
        lambda: KMeans(args.clusters, init="random", n_init=1, max_iter=20, random_state=0).fit(x)
    )
    ours_s, ours = timed(lambda: converged_kmeans(x, args.clusters, 3, 300, 0))
    for name, seconds, model in (("former", former_s, former), ("converged", ours_s, ours)):
        print(f"{name + ':':<11}{seconds:.1f} s, {model.n_iter_} iterations, "
              f"inertia {model.inertia_:.0f}")  # fmt: skip
    print(f"ratio {ours_s / former_s:.2f}")


if __name__ == "__main__":
    main()
