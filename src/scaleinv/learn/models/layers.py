"""Shared pieces of the dense models."""

from torch import nn

ACTIVATIONS = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU}


def dense_stack(sizes, activation):
    """Linear + activation layers through `sizes`, kept separate so each output is a z."""
    return nn.ModuleList(
        nn.Sequential(nn.Linear(a, b), ACTIVATIONS[activation]())
        for a, b in zip(sizes[:-1], sizes[1:], strict=True)
    )


def run_stack(layers, x):
    """Outputs of every layer of a `dense_stack`, in order."""
    outputs = []
    for layer in layers:
        x = layer(x)
        outputs.append(x)
    return outputs
