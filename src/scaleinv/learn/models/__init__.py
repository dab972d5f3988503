"""The learners of the paper behind one interface.

Every model has `loss(x, y, noise)` (the training objective, a scalar; `noise` holds
the random draws of a stochastic model, made by its optional `noise(x, generator)`),
`evaluate(x, y)` (a dict of per-epoch metrics) and `hidden(x, generator)` (the hidden
layers z1, z2, ... as (name, activations) pairs, the RBM's already binary). x is float
in [0, 1], shaped (n, features); a convolutional model unflattens it itself. Each model
module has `build(data, settings)`; `MODELS` registers it under the module's name, the
name a kind's `model` gives (`scaleinv.plan.kinds`).
"""

import os
from importlib.metadata import entry_points

import torch

from scaleinv.errors import ScaleinvError
from scaleinv.learn.models import autoencoder, cnn_autoencoder, mlp, rbm
from scaleinv.plan.kinds import KINDS

BYTES_PER_PARAMETER = 16  # float32 weights, their gradients and Adam's two moments


CPU = torch.device("cpu")


def _models():
    """{model name: build(data, settings) -> the untrained torch.nn.Module}: this package's
    model modules by name, then the builders that plugins name in entry-point group
    `scaleinv.models` (e.g. `toy = toy_kind:build`)."""
    models = {
        module.__name__.rpartition(".")[2]: module.build
        for module in (autoencoder, cnn_autoencoder, mlp, rbm)
    }
    for entry in entry_points(group="scaleinv.models"):
        if entry.name in models:
            raise ScaleinvError(
                f"entry point {entry.name} = {entry.value} (group scaleinv.models) must name "
                f"a new model (built in: {', '.join(models)})"
            )
        models[entry.name] = entry.load()
    return models


MODELS = _models()


def build_model(kind, data, settings):
    """The untrained torch model of kind `kind` (a plan.kinds.Kind) for dataset `data`."""
    if kind.model not in MODELS:
        raise ScaleinvError(
            f"kind {kind.name} names model {kind.model}, which no installed package registers "
            f"(models: {', '.join(MODELS)}); a plugin adds it as an entry point in group "
            "scaleinv.models"
        )
    return MODELS[kind.model](data, settings)


def make_model(experiment, data, device=CPU):
    """The untrained model of `experiment` for dataset `data` (a `datasets.read.Dataset`),
    on the CPU. It is first built on the meta device, which allocates nothing (and draws
    no random numbers), so a model too large for `device` is refused before it exists."""
    kind = KINDS[experiment.kind]
    with torch.device("meta"):
        parameters = sum(
            p.numel() for p in build_model(kind, data, experiment.settings).parameters()
        )
    needed, limit = parameters * BYTES_PER_PARAMETER, memory_of(device)
    if needed > limit:
        key = experiment.key
        raise ScaleinvError(
            f"{key}: the model has {parameters:,} parameters, {needed / 1e9:.1f} GB to train "
            f"(weights, gradients, Adam state), more than the {limit / 1e9:.1f} GB of memory "
            f"on {device.type} here; lower {key}.widths"
        )
    return build_model(kind, data, experiment.settings)


def memory_of(device):
    """Bytes of memory of `device`: the GPU's, or this machine's physical memory."""
    if device.type == "cuda":
        return torch.cuda.get_device_properties(device).total_memory
    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
