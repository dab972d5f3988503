"""Binary codes of every layer of a trained network's snapshot, in the codes contract."""

import functools
import logging

import numpy as np
import torch

from scaleinv.codes import Layer, metadata, write_codes
from scaleinv.codes.binarization import INPUT_THRESHOLD, SAMPLED, activation_rule, input_bits
from scaleinv.datasets.read import read_dataset
from scaleinv.learn.models import make_model
from scaleinv.learn.snapshots import load_snapshot
from scaleinv.plan.kinds import KINDS

CHUNK = 5_000
log = logging.getLogger(__name__)


def layer_thresholds(model, x_train, sampled, activation, threshold):
    """{layer: (rule, threshold)}: the rule of `binarization.activation_rule`; or, where the
    kind's codes are `sampled`, the model's binary states as they are, the rule named by
    the model's code definition (the RBM's `code`) where it has one."""
    names = [name for name, _ in model.hidden(x_train[:1])]
    if sampled:
        return {name: (getattr(model, "code", SAMPLED), None) for name in names}
    means = functools.cache(lambda: layer_means(model, x_train, names))
    return {
        name: activation_rule(activation, threshold, lambda name=name: means()[name])
        for name in names
    }


def layer_means(model, x_train, names):
    """{layer: mean activation over all its units and training samples}, in chunks."""
    sizes = {name: z.shape[1] for name, z in model.hidden(x_train[:1])}
    totals = dict.fromkeys(names, 0.0)
    for start in range(0, len(x_train), CHUNK):
        for name, z in model.hidden(x_train[start : start + CHUNK]):
            totals[name] += z.double().sum().item()
    return {name: totals[name] / (len(x_train) * sizes[name]) for name in names}


def hidden_bits(model, x, thresholds, generator):
    """{layer: (n, width) uint8 bits} over x, in chunks to bound memory."""
    parts = {name: [] for name in thresholds}
    for start in range(0, len(x), CHUNK):
        for name, z in model.hidden(x[start : start + CHUNK], generator):
            _, threshold = thresholds[name]
            bits = z if threshold is None else z > threshold
            parts[name].append(bits.to(torch.uint8).numpy())
    return {name: np.concatenate(chunks) for name, chunks in parts.items()}


def write_network_codes(experiment, seed, epoch, threads, dataset_path, snapshot_path, codes_path):
    """Codes of the inputs x and of every hidden layer of one snapshot, both splits."""
    snapshots = [(seed, epoch, snapshot_path, codes_path)]
    write_block_codes(experiment, snapshots, threads, dataset_path)


def write_block_codes(experiment, snapshots, threads, dataset_path):
    """`write_network_codes` of every (seed, epoch, snapshot path, codes path) in
    `snapshots`, in one process: the job that codes a block of seeds reads the data set
    once and starts torch once (start-up was most of a one-snapshot job; docs/speed.md)."""
    torch.set_num_threads(threads)
    data = read_dataset(dataset_path, experiment.dataset)
    for seed, epoch, snapshot_path, codes_path in snapshots:
        log.info("seed %d, epoch %d: %s", seed, epoch, codes_path)
        _write_snapshot_codes(experiment, data, seed, epoch, snapshot_path, codes_path)


def _write_snapshot_codes(experiment, data, seed, epoch, snapshot_path, codes_path):
    settings = experiment.settings
    sampled = KINDS[experiment.kind].samples_states
    if KINDS[experiment.kind].deduplicates:  # a null: distinct inputs only, as trained
        data = data.deduplicated()
    data = data.with_train_size(settings["n_train"], seed)  # the samples it was trained on
    x = {split: torch.from_numpy(values) for split, values in data.x.items()}
    torch.manual_seed(seed)
    model = make_model(experiment, data)
    load_snapshot(model, snapshot_path)
    model.eval()
    # a kind whose codes are its sampled states (the RBM) has no activation or threshold
    activation = "binary" if sampled else settings["activation"]
    threshold = None if sampled else settings["binarization"]["threshold"]
    thresholds = layer_thresholds(model, x["train"], sampled, activation, threshold)
    generator = torch.Generator().manual_seed(seed)  # the RBM's sampled states
    layers = []
    for split in data.splits:
        labels = data.y[split]
        layers.append(
            Layer(split, "x", input_bits(data.x[split]), labels, "threshold", INPUT_THRESHOLD)
        )
        for name, bits in hidden_bits(model, x[split], thresholds, generator).items():
            layers.append(Layer(split, name, bits, labels, *thresholds[name]))
    write_codes(layers, metadata(experiment, seed, epoch, activation), codes_path)
