"""The paper's k-means control (Fig. 2a): cluster ids play the role of codes; and the
matched k-means null (issue 26): K = a target layer's number of distinct codes, so the
control resolves the inputs exactly as finely as the layer it stands beside.

A fair control must be converged: an under-converged k-means leaves many near-empty
clusters, which fakes a heavy head of singletons. `n_init` mini-batch runs from random
centres pick the best start (k-means++ for 2048 centres alone takes minutes on 2 cores),
then full k-means iterations (Elkan's exact variant of Lloyd) run from it until the
centres move less than `tol`.
"""

import logging

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans

from scaleinv.codes import Layer, integer_code, metadata, write_codes
from scaleinv.codes.binarization import CLUSTER_ID, INPUT_THRESHOLD, input_bits
from scaleinv.codes.matching import target_layers, within_tolerance
from scaleinv.datasets.read import read_dataset

log = logging.getLogger(__name__)


def converged_kmeans(x, clusters, n_init, max_iter, seed, tol=1e-4):
    """KMeans fitted to x from the best of `n_init` mini-batch starts, iterated to `tol`
    (scikit-learn's: relative to the data's variance) or `max_iter`."""
    start = MiniBatchKMeans(
        clusters, init="random", n_init=n_init, batch_size=4096, max_iter=10, random_state=seed
    ).fit(x)
    # Elkan's triangle-inequality bounds skip most distance computations once centres settle:
    # the same 42 iterations and inertia as Lloyd on Fashion-MNIST in 36 s instead of 51 s
    model = KMeans(
        clusters, init=start.cluster_centers_, n_init=1, max_iter=max_iter, tol=tol,
        algorithm="elkan",
    )  # fmt: skip
    model.fit(x)
    log.info(
        "k-means: %d clusters, best of %d mini-batch starts (inertia %.1f), then %d Elkan "
        "iterations to inertia %.1f",
        clusters, n_init, start.inertia_, model.n_iter_, model.inertia_,
    )  # fmt: skip
    if model.n_iter_ >= max_iter:
        log.warning("k-means stopped at max_iter = %d before converging", max_iter)
    return model


def write_kmeans_codes(experiment, seed, dataset_path, codes_path):
    """Cluster the training pixels into `clusters` groups; code each sample of both splits
    by its cluster id (test samples by their nearest centre), beside the binarized input."""
    settings = experiment.settings
    clusters, max_iter = settings["clusters"], settings["max_iter"]
    data = read_dataset(dataset_path, experiment.dataset)
    model = converged_kmeans(data.x["train"], clusters, settings["n_init"], max_iter, seed)
    layers = [input_layer(data, split) for split in data.splits]
    layers += cluster_layers(model, data, "z1")
    layers.sort(key=lambda layer: data.splits.index(layer.split))  # x, z1 of each split
    write_codes(layers, metadata(experiment, seed, 0, activation="none"), codes_path)


def input_layer(data, split):
    labels = data.y[split]
    return Layer(split, "x", input_bits(data.x[split]), labels, "threshold", INPUT_THRESHOLD)


def cluster_layers(model, data, name):
    """Layer `name` of each split: its samples' cluster ids (test samples: the nearest
    centre) as codes of the fewest bits that hold them."""
    width = max(1, int(model.n_clusters - 1).bit_length())
    layers = []
    for split in data.splits:
        ids = model.labels_ if split == "train" else model.predict(data.x[split])
        layers.append(Layer(split, name, integer_code(ids, width), data.y[split], CLUSTER_ID))
    return layers


def write_matched_kmeans_codes(
    experiment, target, seed, dataset_path, target_codes_path, codes_path
):
    """Codes of the inputs x and, for each target layer, the cluster ids of a k-means with
    K = its distinct codes on the training split, over the target's own inputs. The layers
    are named as the target's; K-means leaves few clusters empty, so the match is logged
    and kept in the metadata beside the target's count."""
    settings = experiment.settings
    data = read_dataset(dataset_path, experiment.dataset)
    data = data.with_train_size(target.settings.get("n_train"), seed)  # the target's inputs
    layers = [input_layer(data, split) for split in data.splits]
    records = {}
    for layer in target_layers(target_codes_path, settings["target_layers"], "distinct"):
        clusters = int(layer.resolution)
        model = converged_kmeans(
            data.x["train"], clusters, settings["n_init"], settings["max_iter"], seed
        )
        achieved = len(np.unique(model.labels_))
        records[layer.name] = {
            "match": "distinct",
            "target": clusters,
            "achieved": achieved,
            "matched": within_tolerance(achieved, clusters),
        }
        layers += cluster_layers(model, data, layer.name)
    layers.sort(key=lambda layer: data.splits.index(layer.split))
    facts = metadata(experiment, seed, 0, "none", target=target.id, matched=records)
    write_codes(layers, facts, codes_path)
