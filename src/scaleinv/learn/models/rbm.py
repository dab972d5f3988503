"""Unsupervised: a Bernoulli RBM trained by CD-k (Fig. 1a, 2).

The visible input is Bernoulli-sampled from pixel intensities for training. The code of
an input x is one of CODES (config `code`): `gibbs`, the public code's, the hidden state
after one Gibbs step h -> v -> h started from the grayscale image; `sample`, h sampled
from a Bernoulli-sampled v; `mean_field`, p(h = 1 | x) > 0.5. Training minimises
F(v_data) - F(v_model) with v_model from k Gibbs steps (detached), whose gradient is the
CD-k update, so any torch optimizer (the public code: Adam) applies.
"""

import torch
from torch import nn
from torch.nn import functional as F

CODES = ("gibbs", "sample", "mean_field")
MEAN_FIELD_THRESHOLD = 0.5


def build(data, settings):
    (hidden,) = settings["widths"]  # one width: the config check holds kinds to `layers`
    # a training job's settings leave `code` out: it changes only how codes are read
    return RBM(data.features, hidden, code=settings.get("code", CODES[0]))


class RBM(nn.Module):
    def __init__(self, visible, hidden, k=1, code="gibbs"):
        super().__init__()
        self.code = code
        self.weight = nn.Parameter(torch.randn(hidden, visible) * 0.01)
        self.visible_bias = nn.Parameter(torch.zeros(visible))
        self.hidden_bias = nn.Parameter(torch.zeros(hidden))
        self.k = k

    def hidden_probability(self, v):
        return torch.sigmoid(F.linear(v, self.weight, self.hidden_bias))

    def visible_probability(self, h):
        return torch.sigmoid(F.linear(h, self.weight.t(), self.visible_bias))

    def free_energy(self, v):
        """F(v) = -b.v - sum_j softplus(c_j + W_j.v), per sample."""
        return -(v @ self.visible_bias) - F.softplus(
            F.linear(v, self.weight, self.hidden_bias)
        ).sum(1)

    def noise(self, x, generator):
        """The uniforms of one CD-k step's Bernoulli draws (v from x, then k pairs h, v),
        drawn apart from the loss so that each member of an ensemble uses its own stream."""
        n, (hidden, visible) = len(x), self.weight.shape
        shapes = [(n, visible), *[(n, hidden), (n, visible)] * self.k]
        return tuple(torch.rand(s, generator=generator, device=x.device) for s in shapes)

    def loss(self, x, y=None, noise=()):
        """CD-k with the draws in `noise` (a Bernoulli(p) draw is u < p)."""
        uniforms = iter(noise)
        v = (next(uniforms) < x).to(x.dtype)
        v_model = v
        for _ in range(self.k):
            h = (next(uniforms) < self.hidden_probability(v_model)).to(x.dtype)
            v_model = (next(uniforms) < self.visible_probability(h)).to(x.dtype)
        return (self.free_energy(v) - self.free_energy(v_model.detach())).mean()

    @torch.no_grad()
    def evaluate(self, x, y=None):
        """Mean-field reconstruction error and mean free energy (compare train vs test)."""
        reconstruction = self.visible_probability(self.hidden_probability(x))
        return {
            "loss": F.mse_loss(reconstruction, x).item(),
            "free_energy": self.free_energy(x).mean().item(),
        }

    @torch.no_grad()
    def hidden(self, x, generator=None):
        """The binary code z1 of each input, by the definition `self.code`."""
        if self.code == "mean_field":
            return [("z1", (self.hidden_probability(x) > MEAN_FIELD_THRESHOLD).float())]
        if self.code == "sample":
            v = torch.bernoulli(x, generator=generator)
        else:  # gibbs: h -> v from the grayscale image, then the h that is the code
            h = torch.bernoulli(self.hidden_probability(x), generator=generator)
            v = torch.bernoulli(self.visible_probability(h), generator=generator)
        return [("z1", torch.bernoulli(self.hidden_probability(v), generator=generator))]
