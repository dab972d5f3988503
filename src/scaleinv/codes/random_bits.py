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

from scaleinv.codes.matching import drawn_layers, write_matched_codes

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
    (`matching.write_matched_codes`)."""

    def layers_of(data, targets, match, draws):
        sizes = {split: len(x) for split, x in data.x.items()}
        return random_bit_layers(sizes, data.y, targets, match, seed, draws)

    write_matched_codes(
        layers_of, experiment, target, seed, dataset_path, target_codes_path, codes_path
    )
