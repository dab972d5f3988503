"""The random-projection null (issue 26): codes that know nothing of the task.

Each bit is the sign pattern of a random +-1 projection of the centred inputs (a random
hyperplane through the data's mean; Charikar 2002's SimHash), standardised by its spread
over the training split, and all bits of a layer are cut at one threshold matched to the
target layer's distinct count (or H(Z)) at the same M (`scaleinv.codes.matching`). Each
target layer gets its own projections, as many as it has bits. A code whose frequencies
come from such hyperplanes has no reason to be scale-free: whatever it shares with a
trained layer is what any code of that resolution on these inputs gives.

`match: both` (issue 33) matches the distinct count and H(Z) at once: each layer then has
BOTH_BITS projections, and the number of them used is the second knob
(`scaleinv.codes.matching.matched_cut`). `draws` > 1 adds independent projections of the
same inputs (z1.draw1, ...; draw 0 keeps the stream of a one-draw null).
"""

import zlib

import numpy as np

from scaleinv.codes.matching import drawn_layers, write_matched_codes

# Projections per layer under `match: both`, whatever the target's width: 64 bits sort as
# one integer, and no target layer here needs more (mlp z1's ~50,000 codes take ~23).
BOTH_BITS = 64


def projections(x, width, rng):
    """{split: (n, width) float32}: x ({split: (n, features)}) centred on the training mean,
    projected on `width` random +-1 directions, each scaled to unit spread on training."""
    mean = x["train"].mean(axis=0)
    signs = rng.choice(np.array([-1.0, 1.0], np.float32), size=(x["train"].shape[1], width))
    values = {split: (part - mean) @ signs for split, part in x.items()}
    spread = values["train"].std(axis=0)
    spread[spread == 0] = 1.0  # a direction the data never varies along: a constant bit
    return {split: part / spread for split, part in values.items()}


def projection_layers(x, labels, targets, match, seed, draws=1):
    """(Layers, {layer: match record}) of random projections matched to each target layer,
    `draws` independent ones each (`matching.drawn_layers`); a layer's stream depends on the
    seed, its name and the draw only."""
    layers, records = [], {}
    for target in targets:
        width = BOTH_BITS if match == "both" else target.width
        stream = [seed, zlib.crc32(target.name.encode())]

        def features(draw, width=width, stream=stream):
            return projections(x, width, np.random.default_rng(stream + [draw] * (draw > 0)))

        coded, matched = drawn_layers(target, features, labels, match, draws)
        layers += coded
        records.update(matched)
    return layers, records


def write_projection_codes(experiment, target, seed, dataset_path, target_codes_path, codes_path):
    """Codes of the inputs x and of a random projection matched to each of the target's
    layers (`matching.write_matched_codes`)."""

    def layers_of(data, targets, match, draws):
        return projection_layers(data.x, data.y, targets, match, seed, draws)

    write_matched_codes(
        layers_of, experiment, target, seed, dataset_path, target_codes_path, codes_path
    )
