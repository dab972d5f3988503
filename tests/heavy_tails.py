"""Exact samplers of integer laws with known tails, for the tail-index tests."""

import numpy as np
from scipy import special


def sibuya_survival(k, b):
    """P(K > k) = prod_{j <= k} (1 - b / j) = Gamma(k + 1 - b) / (Gamma(1 - b) Gamma(k + 1)),
    ~ k^-b / Gamma(1 - b): the Sibuya law P(K = k) = b Gamma(k - b) / (Gamma(1 - b) k!)."""
    return np.exp(special.gammaln(k + 1 - b) - special.gammaln(1 - b) - special.gammaln(k + 1))


def sibuya(b, size, rng):
    """Sibuya(b) draws as a geometric law on {1, 2, ...} whose success probability is
    Beta(b, 1 - b): E[p (1 - p)^(k-1)] = B(1 + b, k - b) / B(b, 1 - b), the Sibuya pmf.

    p is kept above 2^-56 so that draws fit in int64 (a cut of probability ~2^-28 b per
    draw, far below anything a test of 10^5 draws can see).
    """
    p = np.maximum(rng.beta(b, 1 - b, size), 2.0**-56)
    return rng.geometric(p).astype(np.int64)


def discrete_lognormal(mu, sigma, size, rng):
    """ceil(Y), Y lognormal: in the Gumbel domain (gamma = 0), no power-law tail."""
    return np.ceil(rng.lognormal(mu, sigma, size)).astype(np.int64)
