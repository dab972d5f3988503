"""A model kind from outside the package, as a plugin would add one: this module plus two
entry points, `toy = toy_kind:KIND` in group `scaleinv.kinds` (what the kind is, read by
plan) and `toy = toy_kind:build` in group `scaleinv.models` (its builder, read by learn);
test_kinds.py installs them.

The model is a tied-weight autoencoder, x -> z1 = sigmoid(W x + b) -> sigmoid(W^T z1 + c),
a learner none of the built-in kinds is.
"""

import torch
from torch import nn
from torch.nn import functional as F

from scaleinv.plan.kinds import Kind

KIND = Kind(
    "toy",
    "tied-weight autoencoder (a test plugin)",
    codes="network_codes",
    model="toy",
)


def build(data, settings):
    return TiedAutoencoder(data.features, settings["widths"][0])


class TiedAutoencoder(nn.Module):
    def __init__(self, features, width):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(width, features) * 0.1)
        self.hidden_bias = nn.Parameter(torch.zeros(width))
        self.visible_bias = nn.Parameter(torch.zeros(features))

    def _code(self, x):
        return torch.sigmoid(F.linear(x, self.weight, self.hidden_bias))

    def loss(self, x, y=None, noise=()):
        reconstruction = torch.sigmoid(F.linear(self._code(x), self.weight.t(), self.visible_bias))
        return F.mse_loss(reconstruction, x)

    @torch.no_grad()
    def evaluate(self, x, y=None):
        return {"loss": self.loss(x).item()}

    @torch.no_grad()
    def hidden(self, x, generator=None):
        return [("z1", self._code(x))]
