"""The learners of the paper behind one interface.

Every model has `loss(x, y, generator)` (the training objective, a scalar),
`evaluate(x, y)` (a dict of per-epoch metrics) and `hidden(x, generator)` (the hidden
layers z1, z2, ... as (name, activations) pairs, the RBM's already binary).
x is float in [0, 1], shaped (n, features) or, for the CNN, (n, channels, H, W).
"""

from scaleinv.models.autoencoder import Autoencoder
from scaleinv.models.cnn_autoencoder import ConvAutoencoder
from scaleinv.models.mlp import MLPClassifier
from scaleinv.models.rbm import RBM


def build_model(kind, input_shape, widths, activation, n_classes):
    """The model of experiment `kind` for inputs of `input_shape` (without the batch axis)."""
    features = 1
    for size in input_shape:
        features *= size
    if kind == "mlp":
        return MLPClassifier(features, widths, n_classes, activation)
    if kind in ("ae", "ising_ae"):
        return Autoencoder(features, widths, activation)
    if kind == "rbm":
        (hidden,) = widths
        return RBM(features, hidden)
    if kind == "cnn_ae":
        return ConvAutoencoder(input_shape[0], activation)
    raise ValueError(f"no trainable model for kind {kind!r}")
