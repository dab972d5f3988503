"""The shuffled-input null (issue 26): the target's own trained network, never retrained,
on inputs whose pixels are permuted independently per image. Each image keeps its
histogram of intensities (its ink) and loses its shape, so the codes keep what the
network does with the amount of ink and lose what it learned of the images' structure.
Each layer's activations are cut at the threshold matched to the target layer's distinct
count (or H(Z)) at the same M (`scaleinv.codes.matching`): at the network's own 0.5 the
shuffled images would mostly share a handful of codes, and a null at another resolution
answers another question.
"""

import numpy as np
import torch

from scaleinv.codes import Layer, metadata, write_codes
from scaleinv.codes.binarization import INPUT_THRESHOLD, input_bits
from scaleinv.codes.matching import matched_layers, target_layers
from scaleinv.datasets.read import read_dataset
from scaleinv.learn.models import make_model
from scaleinv.learn.network_codes import CHUNK
from scaleinv.learn.snapshots import load_snapshot


def shuffle_pixels(x, rng):
    """x ((n, features)) with each row's entries permuted independently (for CIFAR-10 the
    channel values too: the flattened image is shuffled as a whole)."""
    return rng.permuted(x, axis=1)


def activations(model, x):
    """{layer: (n, width) float32 activations} of the model over x, in chunks."""
    parts = {}
    with torch.no_grad():
        for start in range(0, len(x), CHUNK):
            for name, z in model.hidden(torch.from_numpy(x[start : start + CHUNK])):
                parts.setdefault(name, []).append(z.float().numpy())
    return {name: np.concatenate(chunks) for name, chunks in parts.items()}


def write_shuffled_codes(
    experiment, target, seed, threads, dataset_path, snapshot_path, target_codes_path, codes_path
):
    """Codes of the shuffled inputs x and of each target layer on them, over the target's
    own inputs, each layer cut to match the target's (`experiment.settings`: target_layers,
    match)."""
    torch.set_num_threads(threads)
    settings = experiment.settings
    data = read_dataset(dataset_path, target.dataset)
    data = data.with_train_size(target.settings.get("n_train"), seed)  # the target's inputs
    rng = np.random.default_rng([seed, 26])  # 26: apart from every other stream of the seed
    shuffled = {split: shuffle_pixels(x, rng) for split, x in data.x.items()}
    torch.manual_seed(seed)
    model = make_model(target, data)
    load_snapshot(model, snapshot_path)
    model.eval()
    hidden = {split: activations(model, x) for split, x in shuffled.items()}
    layers = [
        Layer(split, "x", input_bits(x), data.y[split], "threshold", INPUT_THRESHOLD)
        for split, x in shuffled.items()
    ]
    records = {}
    for layer in target_layers(target_codes_path, settings["target_layers"], settings["match"]):
        features = {split: values[layer.name] for split, values in hidden.items()}
        coded, records[layer.name] = matched_layers(layer, features, data.y, settings["match"])
        layers += coded
    layers.sort(key=lambda layer: data.splits.index(layer.split))
    facts = metadata(experiment, seed, 0, target.settings["activation"], target=target.id,
                     matched=records)  # fmt: skip
    write_codes(layers, facts, codes_path)
