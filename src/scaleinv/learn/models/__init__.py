"""The learners of the paper behind one interface.

Every model has `loss(x, y, noise)` (the training objective, a scalar; `noise` holds
the random draws of a stochastic model, made by its optional `noise(x, generator)`),
`evaluate(x, y)` (a dict of per-epoch metrics) and `hidden(x, generator)` (the hidden
layers z1, z2, ... as (name, activations) pairs, the RBM's already binary). x is float
in [0, 1], shaped (n, features); a convolutional model unflattens it itself. Each model
module has `build(data, settings)`, which the kind registry (`scaleinv.plan.kinds`) names.
"""

import os

import torch

from scaleinv.errors import ScaleinvError
from scaleinv.plan.kinds import KINDS

BYTES_PER_PARAMETER = 16  # float32 weights, their gradients and Adam's two moments


CPU = torch.device("cpu")


def make_model(experiment, data, device=CPU):
    """The untrained model of `experiment` for dataset `data` (a `datasets.read.Dataset`),
    on the CPU. It is first built on the meta device, which allocates nothing (and draws
    no random numbers), so a model too large for `device` is refused before it exists."""
    kind = KINDS[experiment.kind]
    with torch.device("meta"):
        parameters = sum(
            p.numel() for p in kind.build_model(data, experiment.settings).parameters()
        )
    needed, limit = parameters * BYTES_PER_PARAMETER, memory_of(device)
    if needed > limit:
        key = experiment.key
        raise ScaleinvError(
            f"{key}: the model has {parameters:,} parameters, {needed / 1e9:.1f} GB to train "
            f"(weights, gradients, Adam state), more than the {limit / 1e9:.1f} GB of memory "
            f"on {device.type} here; lower {key}.widths"
        )
    return kind.build_model(data, experiment.settings)


def memory_of(device):
    """Bytes of memory of `device`: the GPU's, or this machine's physical memory."""
    if device.type == "cuda":
        return torch.cuda.get_device_properties(device).total_memory
    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
