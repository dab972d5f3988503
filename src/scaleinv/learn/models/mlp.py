"""Supervised: the paper's classifier x -> z1 -> z2 -> z3 -> y_hat (Fig. 1b)."""

import torch
from torch import nn
from torch.nn import functional as F

from scaleinv.learn.models.layers import dense_stack, run_stack


def build(data, settings):
    return MLPClassifier(data.features, settings["widths"], data.n_classes, settings["activation"])


class MLPClassifier(nn.Module):
    def __init__(self, features, widths, n_classes, activation):
        super().__init__()
        self.hidden_layers = dense_stack([features, *widths], activation)
        self.output = nn.Linear(widths[-1], n_classes)

    def _logits(self, x):
        return self.output(run_stack(self.hidden_layers, x)[-1])

    def loss(self, x, y, noise=()):
        return F.cross_entropy(self._logits(x), y)

    @torch.no_grad()
    def evaluate(self, x, y):
        logits = self._logits(x)
        return {
            "loss": F.cross_entropy(logits, y).item(),
            "accuracy": (logits.argmax(dim=1) == y).float().mean().item(),
        }

    @torch.no_grad()
    def hidden(self, x, generator=None):
        return [(f"z{i + 1}", z) for i, z in enumerate(run_stack(self.hidden_layers, x))]
