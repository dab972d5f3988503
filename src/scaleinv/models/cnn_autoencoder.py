"""Convolutional autoencoder with three internal layers z1, z2, z3 (Fig. 3).

The paper gives no architecture. Ours mirrors the dense autoencoder: two stride-2
3x3 convolutions down (z1: 16 maps at 1/2 resolution, z2: 8 maps at 1/4, the
bottleneck), two transposed convolutions up (z3: 16 maps at 1/2, then the image).
For CIFAR-10 that is z1 = 4096, z2 = 512, z3 = 4096 units: wide enough to
reconstruct well, which is the regime the paper describes as undersampled.
"""

import torch
from torch import nn
from torch.nn import functional as F

from scaleinv.models.layers import ACTIVATIONS


def build(data, settings):
    return ConvAutoencoder(data.image_shape, settings["activation"])


class ConvAutoencoder(nn.Module):
    """Takes flattened images (n, C*H*W), like every model, and unflattens them itself."""

    def __init__(self, image_shape, activation):
        super().__init__()
        self.image_shape = tuple(image_shape)
        channels = self.image_shape[0]
        act = ACTIVATIONS[activation]
        self.z1 = nn.Sequential(nn.Conv2d(channels, 16, 3, stride=2, padding=1), act())
        self.z2 = nn.Sequential(nn.Conv2d(16, 8, 3, stride=2, padding=1), act())
        self.z3 = nn.Sequential(
            nn.ConvTranspose2d(8, 16, 3, stride=2, padding=1, output_padding=1), act()
        )
        self.output = nn.Sequential(
            nn.ConvTranspose2d(16, channels, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid()
        )

    def _layers(self, x):
        z1 = self.z1(self._images(x))
        z2 = self.z2(z1)
        z3 = self.z3(z2)
        return z1, z2, z3

    def _images(self, x):
        return x.reshape(len(x), *self.image_shape)

    def loss(self, x, y=None, generator=None):
        return F.mse_loss(self.output(self._layers(x)[-1]), self._images(x))

    @torch.no_grad()
    def evaluate(self, x, y=None):
        return {"loss": self.loss(x).item()}

    @torch.no_grad()
    def hidden(self, x, generator=None):
        return [(f"z{i + 1}", z.flatten(1)) for i, z in enumerate(self._layers(x))]
