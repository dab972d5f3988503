"""Binary codes of every layer of a trained snapshot, written in the codes contract."""

import logging

import numpy as np
import torch

from scaleinv.codes import codes_table, distinct, write_codes
from scaleinv.data import load_splits
from scaleinv.training import make_model

log = logging.getLogger(__name__)

CHUNK = 5_000
INPUT_THRESHOLD = 0.5  # of the pixel range, so m(k_x) exists for every experiment


def layer_thresholds(model, x_train, kind, activation, threshold):
    """{layer: (rule, threshold)}: sigmoid layers at `threshold`, ReLU layers at the
    layer's mean activation over the training split, RBM states as sampled."""
    names = [name for name, _ in model.hidden(x_train[:1])]
    if kind == "rbm":
        return {name: ("sampled", None) for name in names}
    if activation == "sigmoid":
        return {name: ("threshold", threshold) for name in names}
    totals = dict.fromkeys(names, 0.0)
    for start in range(0, len(x_train), CHUNK):
        for name, z in model.hidden(x_train[start : start + CHUNK]):
            totals[name] += z.double().sum().item()
    sizes = {name: z.shape[1] for name, z in model.hidden(x_train[:1])}
    return {name: ("mean", totals[name] / (len(x_train) * sizes[name])) for name in names}


def hidden_bits(model, x, thresholds, generator):
    """{layer: (n, width) uint8 bits} over x, in chunks to bound memory."""
    parts = {name: [] for name in thresholds}
    for start in range(0, len(x), CHUNK):
        for name, z in model.hidden(x[start : start + CHUNK], generator):
            rule, threshold = thresholds[name]
            bits = z if rule == "sampled" else z > threshold
            parts[name].append(bits.to(torch.uint8).numpy())
    return {name: np.concatenate(chunks) for name, chunks in parts.items()}


def extract_codes(experiment, seed, epoch, dataset_path, snapshot_path, codes_path):
    """Codes of the inputs x and of every hidden layer, train and test splits."""
    settings = experiment.settings
    splits = load_splits(dataset_path, experiment.dataset, experiment.kind == "cnn_ae")
    torch.manual_seed(seed)
    model = make_model(experiment, splits)
    model.load_state_dict(torch.load(snapshot_path, weights_only=True))
    model.eval()
    threshold = settings["binarization"]["threshold"]
    thresholds = layer_thresholds(
        model, splits.x["train"], experiment.kind, settings["activation"], threshold
    )
    generator = torch.Generator().manual_seed(seed)  # the RBM's sampled states
    layers = []
    for split in splits.names:
        x = splits.x[split]
        labels = None if splits.y[split] is None else splits.y[split].numpy()
        inputs = (x.flatten(1) > INPUT_THRESHOLD).to(torch.uint8).numpy()
        layers.append(_layer(split, "x", inputs, labels, "threshold", INPUT_THRESHOLD))
        for name, bits in hidden_bits(model, x, thresholds, generator).items():
            layers.append(_layer(split, name, bits, labels, *thresholds[name]))
    metadata = {
        "experiment": experiment.id,
        "kind": experiment.kind,
        "dataset": experiment.dataset,
        "seed": seed,
        "epoch": epoch,
        "activation": "binary" if experiment.kind == "rbm" else settings["activation"],
    }
    write_codes(codes_table(layers, metadata), codes_path)
    for part in layers:
        n, width = part["bits"].shape
        log.info(
            "%s %s: %d codes of %d bits, %d distinct",
            part["split"],
            part["layer"],
            n,
            width,
            distinct(part["bits"]),
        )


def _layer(split, name, bits, labels, rule, threshold):
    return {
        "split": split,
        "layer": name,
        "bits": bits,
        "labels": labels,
        "rule": {"rule": rule, "threshold": threshold},
    }
