"""Test oracle: exact results of the 2-D Ising model the sampler is checked against."""

import itertools
import math

import numpy as np
from scipy.special import ellipk


def enumerate_states(L):
    """Energy and magnetization (totals) of all 2**(L*L) states of the L x L torus."""
    sites = L * L
    if sites > 20:
        raise ValueError(f"enumerating 2**{sites} states is too many (L <= 4)")
    spins = 1 - 2 * np.array(list(itertools.product((0, 1), repeat=sites)), np.int64)
    lattice = spins.reshape(-1, L, L)
    bonds = lattice * np.roll(lattice, -1, axis=2) + lattice * np.roll(lattice, -1, axis=1)
    return -bonds.sum(axis=(1, 2)), spins.sum(axis=1)


def boltzmann_em(L, T):
    """{(E, M): probability} under exp(-E/T) / Z, from exact enumeration."""
    energy, magnetization = enumerate_states(L)
    weights = np.exp(-(energy - energy.min()) / T)
    table = {}
    for e, m, w in zip(energy.tolist(), magnetization.tolist(), weights.tolist(), strict=True):
        table[e, m] = table.get((e, m), 0.0) + w
    total = sum(table.values())
    return {key: w / total for key, w in table.items()}


def onsager_energy_per_spin(T):
    """Infinite-lattice energy per spin (Onsager 1944; Huang, Statistical Mechanics, 17.47):
    u = -coth(2K) [1 + (2/pi)(2 tanh^2(2K) - 1) K1(k)], K = 1/T, k = 2 sinh(2K) / cosh^2(2K)."""
    K = 1.0 / T
    k = 2.0 * math.sinh(2 * K) / math.cosh(2 * K) ** 2
    elliptic = ellipk(k * k)  # scipy takes the parameter m = k^2
    return -(1.0 / math.tanh(2 * K)) * (
        1 + (2 / math.pi) * (2 * math.tanh(2 * K) ** 2 - 1) * elliptic
    )
