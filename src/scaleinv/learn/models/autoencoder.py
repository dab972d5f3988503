"""Self-supervised: x -> z1 -> ... -> zn -> x_hat with a sigmoid output and MSE (Fig. 1c);
with one hidden layer it is the shallow Ising autoencoder (Fig. 5)."""

import torch
from torch import nn
from torch.nn import functional as F

from scaleinv.learn.models.layers import dense_stack, run_stack


def build(data, settings):
    return Autoencoder(data.features, settings["widths"], settings["activation"])


class Autoencoder(nn.Module):
    def __init__(self, features, widths, activation):
        super().__init__()
        self.hidden_layers = dense_stack([features, *widths], activation)
        self.output = nn.Sequential(nn.Linear(widths[-1], features), nn.Sigmoid())

    def loss(self, x, y=None, noise=()):
        return F.mse_loss(self.output(run_stack(self.hidden_layers, x)[-1]), x)

    @torch.no_grad()
    def evaluate(self, x, y=None):
        return {"loss": self.loss(x).item()}

    @torch.no_grad()
    def hidden(self, x, generator=None):
        return [(f"z{i + 1}", z) for i, z in enumerate(run_stack(self.hidden_layers, x))]
