"""The untrained-network null (issue 33): the target's own architecture at initialisation,
never trained. Draw 0 is the target's epoch-0 network itself (the trainer seeds torch with
the seed before building the model, as here), so no snapshot need be kept; draws 1, 2, ...
are fresh initialisations of the same architecture from streams apart from every seed.

A layer's activations are then cut like a random projection's: under `match: both` the
number of its units used (a real number: the last a partial bit) and one threshold are
matched to the trained layer's distinct count and H(Z) at once
(`scaleinv.codes.matching.matched_cut`). An untrained layer has only its own units: a
target that needs more bits than the layer has is out of reach, and the codes file's
metadata says how far it got (`matched: false`), as do the logs.
"""

import numpy as np
import torch

from scaleinv.codes import Layer, metadata, write_codes
from scaleinv.codes.binarization import INPUT_THRESHOLD, input_bits
from scaleinv.codes.matching import drawn_layers, target_layers
from scaleinv.datasets.read import read_dataset
from scaleinv.learn.models import make_model
from scaleinv.learn.shuffled_codes import activations


def initial_model(target, data, seed, draw):
    """The target's architecture at initialisation: draw 0 is the target's own epoch 0
    (torch seeded with `seed`, as the trainer does), draw d > 0 a stream of (seed, d)."""
    stream = seed if draw == 0 else int(np.random.SeedSequence([seed, draw]).generate_state(1)[0])
    torch.manual_seed(stream)
    model = make_model(target, data)
    model.eval()
    return model


def write_untrained_codes(
    experiment, target, seed, threads, dataset_path, target_codes_path, codes_path
):
    """Codes of the inputs x and of each target layer of the untrained network, `draws`
    initialisations (`experiment.settings`: target_layers, match, draws), over the target's
    own inputs."""
    torch.set_num_threads(threads)
    settings = experiment.settings
    data = read_dataset(dataset_path, target.dataset)
    data = data.with_train_size(target.settings.get("n_train"), seed)  # the target's inputs
    hidden = []  # {split: {layer: activations}} per draw, computed once per draw

    def features_of(layer):
        def features(draw):
            while len(hidden) <= draw:
                model = initial_model(target, data, seed, len(hidden))
                splits = data.splits if len(hidden) == 0 else ["train"]
                hidden.append({split: activations(model, data.x[split]) for split in splits})
            return {split: values[layer] for split, values in hidden[draw].items()}

        return features

    layers = [
        Layer(split, "x", input_bits(data.x[split]), data.y[split], "threshold", INPUT_THRESHOLD)
        for split in data.splits
    ]
    records = {}
    for target_layer in target_layers(
        target_codes_path, settings["target_layers"], settings["match"]
    ):
        coded, matched = drawn_layers(
            target_layer, features_of(target_layer.name), data.y, settings["match"],
            settings["draws"],
        )  # fmt: skip
        layers += coded
        records.update(matched)
    layers.sort(key=lambda layer: data.splits.index(layer.split))
    facts = metadata(experiment, seed, 0, target.settings["activation"], target=target.id,
                     matched=records)  # fmt: skip
    write_codes(layers, facts, codes_path)
