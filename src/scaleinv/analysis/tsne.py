"""2-D t-SNE embeddings for Fig. 2b/2c: a network's codes, and the pixels coloured by
k-means cluster, of one seeded subsample of the training images."""

import logging

import numpy as np
from sklearn.manifold import TSNE

from scaleinv.codes import read_layer
from scaleinv.datasets.read import read_dataset
from scaleinv.errors import ScaleinvError
from scaleinv.tables import EMBEDDING_COLUMNS, write_table

log = logging.getLogger(__name__)


def group_ids(bits):
    """Integer id per row: rows with equal bits share an id, 0 = the most frequent code."""
    packed = np.ascontiguousarray(np.packbits(bits, axis=1))
    _, inverse, counts = np.unique(
        packed.view(f"V{packed.shape[1]}").ravel(), return_inverse=True, return_counts=True
    )
    rank = np.empty_like(counts)
    rank[np.argsort(-counts, kind="stable")] = np.arange(len(counts))
    return rank[inverse]


def embed(points, perplexity, seed):
    return TSNE(2, perplexity=perplexity, init="pca", random_state=seed).fit_transform(
        points.astype(np.float32)
    )


def write_tsne_panels(settings, dataset_path, codes_path, clusters_path, out_path):
    """Write rows (panel, sample, x, y, group): panel `codes` embeds the z1 codes (group =
    the code), panel `pixels` embeds the images (group = the k-means cluster); the
    subsample and t-SNE are seeded with the experiment's first seed."""
    seed = settings["seeds"][0]
    pixels = read_dataset(dataset_path, settings["dataset"]).x["train"]
    chosen = np.sort(np.random.default_rng(seed).permutation(len(pixels))[: settings["samples"]])
    code_samples, code_bits = read_layer(codes_path, "z1", "train")
    cluster_samples, cluster_bits = read_layer(clusters_path, "z1", "train")
    for path, samples in ((codes_path, code_samples), (clusters_path, cluster_samples)):
        if not np.array_equal(samples, np.arange(len(pixels))):
            raise ScaleinvError(
                f"{path} does not code the {len(pixels)} training images of {dataset_path}"
            )
    panels = {
        "codes": (code_bits[chosen], group_ids(code_bits[chosen])),
        "pixels": (pixels[chosen], group_ids(cluster_bits[chosen])),
    }
    rows = []
    for panel, (points, groups) in panels.items():
        xy = embed(points, settings["perplexity"], seed)
        log.info("t-SNE %s: %d points, %d groups", panel, len(points), groups.max() + 1)
        rows += [
            dict(zip(EMBEDDING_COLUMNS, (panel, int(s), float(x), float(y), int(g)), strict=True))
            for s, (x, y), g in zip(chosen, xy, groups, strict=True)
        ]
    write_table(rows, out_path)
