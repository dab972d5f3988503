"""Cluster sizes with known answers for the occupancy law: M inputs counted into codes."""

import numpy as np


def occupancy_sizes(frequencies, inputs, rng):
    """Sizes of the nonempty codes after `inputs` draws from code frequencies (any scale)."""
    counts = rng.multinomial(inputs, frequencies / frequencies.sum())
    return counts[counts > 0]


def scale_free_sizes(b, rng, inputs=60_000, codes=1_000_000):
    """A scale-free code: p_i ~ i^(-1/b) over `codes` codes, so the rates' density is
    l^(-b-1) down to l_min = M p_codes and the occupancy law has beta = b."""
    return occupancy_sizes(np.arange(1, codes + 1) ** (-1 / b), inputs, rng)


def dirichlet_sizes(rng, boxes=2048, inputs=60_000):
    """k-means-like boxes: frequencies Dirichlet(1), i.e. exponential, not scale-free."""
    return occupancy_sizes(rng.dirichlet(np.ones(boxes)), inputs, rng)
