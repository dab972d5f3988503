"""Plain-Python reference of the kernels: one chain, obviously correct, slow.

It draws from the same splitmix64 stream as the kernels, so tests can demand
bit-identical trajectories, and it is checked on its own against exact enumeration.
"""

import math

_MASK = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & _MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return state, z ^ (z >> 31)


def neighbours(i, L):
    row, col = divmod(i, L)
    return [
        row * L + (col + 1) % L,
        row * L + (col - 1) % L,
        ((row + 1) % L) * L + col,
        ((row - 1) % L) * L + col,
    ]


def metropolis_sweep(spins, L, T, state):
    """Visit every site in order; flip with probability min(1, exp(-dE/T)); then flip
    all spins with probability 1/2."""
    for i in range(L * L):
        delta_e = 2 * spins[i] * sum(spins[j] for j in neighbours(i, L))
        state, r = splitmix64(state)
        if r < int(2.0**64 * min(1.0, math.exp(-delta_e / T))):
            spins[i] = -spins[i]
    state, r = splitmix64(state)
    if r >> 63:
        spins[:] = [-s for s in spins]
    return state


def wolff_update(spins, L, T, state):
    """Flip one cluster grown from a random site with bond probability 1 - exp(-2/T);
    then flip all spins with probability 1/2."""
    p_add = int(2.0**64 * (1.0 - math.exp(-2.0 / T)))
    state, r = splitmix64(state)
    seed = ((r >> 32) * (L * L)) >> 32
    old = spins[seed]
    spins[seed] = -old
    stack = [seed]
    while stack:
        site = stack.pop()
        for j in neighbours(site, L):
            if spins[j] == old:
                state, r = splitmix64(state)
                if r < p_add:
                    spins[j] = -old
                    stack.append(j)
    state, r = splitmix64(state)
    if r >> 63:
        spins[:] = [-s for s in spins]
    return state


def energy_magnetization(spins, L):
    energy = -sum(
        spins[i] * (spins[neighbours(i, L)[0]] + spins[neighbours(i, L)[2]]) for i in range(L * L)
    )
    return energy, sum(spins)
