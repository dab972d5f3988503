"""The random-bit null (issue 33): codes that know nothing of the inputs at all.

Each input gets i.i.d. random bits, independent of its pixels: BITS uniform draws per input,
of which the first b (a real number: the last a partial bit) are cut at one threshold t, so
each bit is one with probability 1 - t. The two knobs, b and t, are matched to the target
layer's distinct count and H(Z) at once on the training split
(`scaleinv.codes.matching.matched_cut`); the test split gets its own draws under the same
cut. Such a code's frequencies are the binomial hierarchy p^j (1 - p)^(b - j) of Miller's
"monkey typing": whatever a trained layer's relevance shares with it comes with the
resolution, not with the inputs.
"""

import zlib

import numpy as np

from scaleinv.codes.binarization import INPUT_THRESHOLD, input_bits
from scaleinv.codes.contract import Layer, metadata, write_codes
from scaleinv.codes.matching import drawn_layers, target_layers
from scaleinv.datasets.read import read_dataset

BITS = 64  # candidate bits per input: one sortable integer (`matching.distinct_entropy`)


def random_features(sizes, rng):
    """{split: (n, BITS) float32 uniforms}, one independent row per input."""
    return {split: rng.random((n, BITS), np.float32) for split, n in sizes.items()}


def random_bit_layers(sizes, labels, targets, match, seed, draws):
    """(Layers, {layer: match record}) of random bits matched to each target layer, `draws`
    each; a layer's stream depends on the seed, its name and the draw only."""
    layers, records = [], {}
    for target in targets:
        stream = [seed, zlib.crc32(target.name.encode())]

        def features(draw, stream=stream):
            return random_features(sizes, np.random.default_rng([*stream, draw]))

        coded, matched = drawn_layers(target, features, labels, match, draws)
        layers += coded
        records.update(matched)
    return layers, records


def write_random_bit_codes(experiment, target, seed, dataset_path, target_codes_path, codes_path):
    """Codes of the inputs x and random bits matched to each of the target's layers
    (`experiment.settings`: target_layers, match, draws), over the target's own inputs."""
    settings = experiment.settings
    data = read_dataset(dataset_path, experiment.dataset)
    data = data.with_train_size(target.settings.get("n_train"), seed)  # the target's inputs
    targets = target_layers(target_codes_path, settings["target_layers"], settings["match"])
    sizes = {split: len(x) for split, x in data.x.items()}
    layers, records = random_bit_layers(
        sizes, data.y, targets, settings["match"], seed, settings["draws"]
    )
    inputs = [
        Layer(split, "x", input_bits(data.x[split]), data.y[split], "threshold", INPUT_THRESHOLD)
        for split in data.splits
    ]
    facts = metadata(experiment, seed, 0, "none", target=target.id, matched=records)
    by_split = sorted(inputs + layers, key=lambda layer: data.splits.index(layer.split))
    write_codes(by_split, facts, codes_path)
