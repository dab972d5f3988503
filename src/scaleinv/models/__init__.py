"""The learners of the paper behind one interface.

Every model has `loss(x, y, generator)` (the training objective, a scalar),
`evaluate(x, y)` (a dict of per-epoch metrics) and `hidden(x, generator)` (the hidden
layers z1, z2, ... as (name, activations) pairs, the RBM's already binary). x is float
in [0, 1], shaped (n, features); a convolutional model unflattens it itself. Each model
module has `build(data, settings)`, which the kind registry (`scaleinv.kinds`) names.
"""

from scaleinv.kinds import KINDS


def make_model(experiment, data):
    """The untrained model of `experiment` for dataset `data` (a `datasets.read.Dataset`)."""
    return KINDS[experiment.kind].build_model(data, experiment.settings)
