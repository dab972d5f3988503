"""The paper's k-means baseline (Fig. 2a): cluster ids play the role of codes."""

import logging

import numpy as np
from sklearn.cluster import KMeans

from scaleinv.codes import codes_table, integer_code, write_codes

log = logging.getLogger(__name__)


def kmeans_codes(experiment, seed, dataset_path, codes_path):
    """Cluster the training pixels into `clusters` groups; code each sample of both splits
    by its cluster id (test samples by their nearest centre), beside the binarized input."""
    clusters, max_iter = experiment.settings["clusters"], experiment.settings["max_iter"]
    with np.load(dataset_path) as data:
        splits = {
            s: (data[f"x_{s}"], data[f"y_{s}"]) for s in ("train", "test") if f"x_{s}" in data.files
        }
    pixels = {split: x.astype(np.float32) / 255 for split, (x, _) in splits.items()}
    # Random initialisation: k-means++ for 2048 centres alone takes minutes on 2 cores.
    model = KMeans(clusters, init="random", n_init=1, max_iter=max_iter, random_state=seed)
    model.fit(pixels["train"])
    log.info(
        "k-means: %d clusters, %d iterations, inertia %.1f", clusters, model.n_iter_, model.inertia_
    )
    width = max(1, int(clusters - 1).bit_length())
    layers = []
    for split, (_, y) in splits.items():
        ids = model.labels_ if split == "train" else model.predict(pixels[split])
        rule = {"rule": "threshold", "threshold": 0.5}
        layers.append(
            {
                "split": split,
                "layer": "x",
                "bits": (pixels[split] > 0.5).astype(np.uint8),
                "labels": y,
                "rule": rule,
            }
        )
        layers.append(
            {
                "split": split,
                "layer": "z1",
                "bits": integer_code(ids, width),
                "labels": y,
                "rule": {"rule": "cluster_id", "threshold": None},
            }
        )
    metadata = {
        "experiment": experiment.id,
        "kind": "kmeans",
        "dataset": experiment.dataset,
        "seed": seed,
        "epoch": 0,
        "activation": "none",
    }
    write_codes(codes_table(layers, metadata), codes_path)
