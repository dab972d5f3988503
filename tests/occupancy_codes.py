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


def code_ids(frequencies, inputs, rng):
    """The code of each of `inputs` inputs drawn from code frequencies (any scale): what a
    subsampling analysis reads, rather than the sizes."""
    return rng.choice(len(frequencies), inputs, p=frequencies / frequencies.sum())


def zipf_code_ids(b, inputs, rng):
    """Codes of a scale-free code with infinitely many codes: p_i ~ i^(-1/b), i = 1, 2, ...
    (numpy's Zipf law), relabelled 0, 1, ...; no finite code space bends K(M) at b near 1."""
    return np.unique(rng.zipf(1 / b, inputs), return_inverse=True)[1].ravel()
