"""The paper's k-means control (Fig. 2a): cluster ids play the role of codes."""

import logging

from sklearn.cluster import KMeans

from scaleinv.binarization import INPUT_THRESHOLD, input_bits
from scaleinv.codes import Layer, integer_code, write_codes
from scaleinv.datasets.read import read_dataset

log = logging.getLogger(__name__)


def write_kmeans_codes(experiment, seed, dataset_path, codes_path):
    """Cluster the training pixels into `clusters` groups; code each sample of both splits
    by its cluster id (test samples by their nearest centre), beside the binarized input."""
    clusters, max_iter = experiment.settings["clusters"], experiment.settings["max_iter"]
    data = read_dataset(dataset_path, experiment.dataset)
    # Random initialisation: k-means++ for 2048 centres alone takes minutes on 2 cores.
    model = KMeans(clusters, init="random", n_init=1, max_iter=max_iter, random_state=seed)
    model.fit(data.x["train"])
    log.info(
        "k-means: %d clusters, %d iterations, inertia %.1f", clusters, model.n_iter_, model.inertia_
    )
    width = max(1, int(clusters - 1).bit_length())
    layers = []
    for split in data.splits:
        x, labels = data.x[split], data.y[split]
        ids = model.labels_ if split == "train" else model.predict(x)
        layers.append(Layer(split, "x", input_bits(x), labels, "threshold", INPUT_THRESHOLD))
        layers.append(Layer(split, "z1", integer_code(ids, width), labels, "cluster_id"))
    metadata = {
        "experiment": experiment.id,
        "kind": experiment.kind,
        "dataset": experiment.dataset,
        "seed": seed,
        "epoch": 0,
        "activation": "none",
    }
    write_codes(layers, metadata, codes_path)
