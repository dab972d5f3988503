"""Shared pieces of the dense models."""

import torch
from torch import nn

ACTIVATIONS = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU}


def dense_stack(sizes, activation):
    """Linear + activation layers through `sizes`, kept separate so each output is a z."""
    return nn.ModuleList(
        nn.Sequential(nn.Linear(a, b), ACTIVATIONS[activation]()) for a, b in zip(sizes, sizes[1:])
    )


def run_stack(layers, x):
    """Outputs of every layer of a `dense_stack`, in order."""
    outputs = []
    for layer in layers:
        x = layer(x)
        outputs.append(x)
    return outputs


@torch.no_grad()
def in_chunks(function, x, chunk=10_000):
    """Apply `function` to x in chunks, concatenating each output; bounds peak memory."""
    parts = [function(x[i : i + chunk]) for i in range(0, len(x), chunk)]
    if isinstance(parts[0], torch.Tensor):
        return torch.cat(parts)
    return [torch.cat(p) for p in zip(*parts, strict=True)]
