"""Convolutional autoencoder with three internal layers z1, z2, z3 (Fig. 3).

The paper gives no architecture, only "three internal layers" and "many filters". Ours:
a convolutional encoder (two stride-2 3x3 convolutions, 16 and 32 filters), then dense
layers z1 -> z2 -> z3 of `widths` (the codes), then the mirror image up through two
transposed convolutions. Raw feature maps would be thousands of bits, which makes every
code unique and m(k) meaningless; the dense internal layers compress to few enough bits
that codes repeat (docs, "Design decisions": widths chosen by a sweep).
"""

import itertools

import torch
from torch import nn
from torch.nn import functional as F

from scaleinv.learn.models.layers import ACTIVATIONS

FILTERS = (16, 32)  # of the two stride-2 convolutions


def build(data, settings):
    return ConvAutoencoder(data.image_shape, settings["widths"], settings["activation"])


class ConvAutoencoder(nn.Module):
    """Takes flattened images (n, C*H*W), like every model, and unflattens them itself."""

    def __init__(self, image_shape, widths, activation):
        super().__init__()
        self.image_shape = tuple(image_shape)
        channels, height, width = self.image_shape
        act = ACTIVATIONS[activation]
        self.maps = (FILTERS[1], -(-height // 4), -(-width // 4))  # after two stride-2 convs
        flat = FILTERS[1] * self.maps[1] * self.maps[2]
        self.encoder = nn.Sequential(
            nn.Conv2d(channels, FILTERS[0], 3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(FILTERS[0], FILTERS[1], 3, stride=2, padding=1),
            nn.ReLU(),
            nn.Flatten(),
        )
        sizes = [flat, *widths]
        self.internal = nn.ModuleList(
            nn.Sequential(nn.Linear(n_in, n_out), act())
            for n_in, n_out in itertools.pairwise(sizes)
        )
        self.expand = nn.Sequential(nn.Linear(widths[-1], flat), nn.ReLU())
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(FILTERS[1], FILTERS[0], 3, stride=2, padding=1, output_padding=1),
            nn.ReLU(),
            nn.ConvTranspose2d(FILTERS[0], channels, 3, stride=2, padding=1, output_padding=1),
            nn.Sigmoid(),
        )

    def _layers(self, x):
        z = self.encoder(self._images(x))
        layers = []
        for layer in self.internal:
            z = layer(z)
            layers.append(z)
        return layers

    def _images(self, x):
        return x.reshape(len(x), *self.image_shape)

    def _reconstruct(self, z):
        maps = self.decoder(self.expand(z).reshape(len(z), *self.maps))
        height, width = self.image_shape[1:]
        return maps[:, :, :height, :width]  # 28 -> 7 -> 28; odd sizes are cropped back

    def loss(self, x, y=None, noise=()):
        return F.mse_loss(self._reconstruct(self._layers(x)[-1]), self._images(x))

    @torch.no_grad()
    def evaluate(self, x, y=None):
        return {"loss": self.loss(x).item()}

    @torch.no_grad()
    def hidden(self, x, generator=None):
        return [(f"z{i + 1}", z) for i, z in enumerate(self._layers(x))]
