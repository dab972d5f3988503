"""Numba kernels: many independent chains in parallel, one random stream per chain.

Each chain owns a splitmix64 state, so a chain's trajectory depends on its seed alone,
never on which thread runs it or how many threads there are (numba's own np.random
keeps one stream per thread, which would tie results to scheduling).
Spins are int8 +-1, stored (blocks, sites, LANES): LANES chains side by side per site,
sites in row-major order; `neighbors[i]` lists site i's four neighbours.
"""

import math

import numba as nb
import numpy as np

LANES = 16  # chains interleaved in the inner loop of the Metropolis kernel

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@nb.njit(inline="always")
def splitmix64(state):
    """(next state, 64 random bits); Steele, Lea & Flood 2014."""
    state = state + _GOLDEN
    z = state
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return state, z ^ (z >> np.uint64(31))


def neighbor_table(L):
    """(L*L, 4) int32: right, left, down, up neighbour of each site on the torus."""
    rows, cols = np.divmod(np.arange(L * L), L)
    return np.stack(
        [
            rows * L + (cols + 1) % L,
            rows * L + (cols - 1) % L,
            ((rows + 1) % L) * L + cols,
            ((rows - 1) % L) * L + cols,
        ],
        axis=1,
    ).astype(np.int32)


def metropolis_thresholds(T):
    """uint64 thresholds: flip when 64 random bits <= min(1, exp(-dE/T)) * 2**64 - 1.

    Indexed by s_i * h_i + 4 in {0..8} (dE = 2 * s_i * h_i); dE <= 0 always flips.
    """
    return np.array([_threshold(min(1.0, math.exp(-2.0 * x / T))) for x in range(-4, 5)], np.uint64)


def _threshold(p):
    """uint64 t with r <= t exactly when r < int(p * 2**64), r being 64 random bits."""
    return np.uint64(min(int(p * 2.0**64), 2**64) - 1) if p > 0 else np.uint64(0)


def wolff_threshold(T):
    """uint64 threshold of the bond probability p_add = 1 - exp(-2/T) (Wolff 1989)."""
    return _threshold(1.0 - math.exp(-2.0 / T))


@nb.njit(parallel=True, cache=True)
def _metropolis_blocks(spins, states, neighbors, thresholds, sweeps):
    """`sweeps` Metropolis sweeps of every chain.

    spins: (blocks, sites, LANES) int8; states: (blocks, LANES) uint64.

    Each sweep visits the sites in order, then flips all spins of a chain with
    probability 1/2 (an exact symmetry of H: it keeps the Boltzmann distribution and
    lets ordered chains visit both the + and - states). The innermost loop runs over
    independent chains, so the CPU overlaps their work instead of waiting on each
    site's freshly written neighbour; acceptance is a table compare, not a branch.
    """
    blocks, sites, lanes = spins.shape
    for b in nb.prange(blocks):
        s = spins[b]
        state = states[b]
        for _ in range(sweeps):
            for i in range(sites):
                right, left, down, up = (
                    neighbors[i, 0],
                    neighbors[i, 1],
                    neighbors[i, 2],
                    neighbors[i, 3],
                )
                for lane in range(lanes):
                    x = s[i, lane] * (s[right, lane] + s[left, lane] + s[down, lane] + s[up, lane])
                    state[lane], r = splitmix64(state[lane])
                    s[i, lane] = s[i, lane] * (1 - 2 * np.int8(r <= thresholds[x + 4]))
            for lane in range(lanes):
                state[lane], r = splitmix64(state[lane])
                if r >> np.uint64(63):
                    for i in range(sites):
                        s[i, lane] = -s[i, lane]


@nb.njit(inline="always")
def _wolff_update(s, state, neighbors, p_add, stack):
    """Grow one Wolff cluster from a random site and flip it (Wolff 1989); sites flip as
    they join, so a site is never added twice. Then flip all spins with probability 1/2:
    at low T a cluster is nearly the whole lattice, and without this the sign of M would
    alternate almost deterministically from one update to the next."""
    state, r = splitmix64(state)
    seed = np.int64((r >> np.uint64(32)) * np.uint64(s.size) >> np.uint64(32))
    old = s[seed]
    s[seed] = -old
    stack[0] = seed
    top = 1
    while top > 0:
        top -= 1
        site = stack[top]
        for k in range(4):
            j = neighbors[site, k]
            if s[j] == old:
                state, r = splitmix64(state)
                if r <= p_add:
                    s[j] = -old
                    stack[top] = j
                    top += 1
    state, r = splitmix64(state)
    if r >> np.uint64(63):
        for i in range(s.size):
            s[i] = -s[i]
    return state


@nb.njit(parallel=True, cache=True)
def _wolff_blocks(spins, states, neighbors, p_add, updates):
    """`updates` Wolff cluster flips of every chain; same layout as `_metropolis_blocks`."""
    blocks, sites, lanes = spins.shape
    for b in nb.prange(blocks):
        stack = np.empty(sites, np.int64)
        for lane in range(lanes):
            s = spins[b, :, lane]
            state = states[b, lane]
            for _ in range(updates):
                state = _wolff_update(s, state, neighbors, p_add, stack)
            states[b, lane] = state


@nb.njit(parallel=True, cache=True)
def _measure(spins, neighbors, energy, magnetization):
    """Total energy E = -sum over bonds s_i s_j and magnetization M = sum s_i, per chain."""
    blocks, sites, lanes = spins.shape
    for b in nb.prange(blocks):
        for lane in range(lanes):
            e = 0
            m = 0
            for i in range(sites):
                si = spins[b, i, lane]
                e -= si * (spins[b, neighbors[i, 0], lane] + spins[b, neighbors[i, 2], lane])
                m += si
            energy[b * lanes + lane] = e
            magnetization[b * lanes + lane] = m


class Chains:
    """Independent chains on an L x L torus, all started from the all-up state.

    `seeds` gives each chain its own stream; the number of chains is padded up to a
    multiple of LANES (the padding chains run but are never reported).
    """

    def __init__(self, L, T, seeds, algorithm):
        if algorithm not in ("metropolis", "wolff"):
            raise ValueError(f"algorithm must be metropolis or wolff (got {algorithm!r})")
        self.L, self.T, self.algorithm = L, float(T), algorithm
        self.n_chains = len(seeds)
        blocks = -(-self.n_chains // LANES)
        padded = np.zeros(blocks * LANES, np.uint64)
        padded[: self.n_chains] = seeds
        padded[self.n_chains :] = np.arange(1, len(padded) - self.n_chains + 1, dtype=np.uint64)
        self.states = padded.reshape(blocks, LANES)
        self.spins = np.ones((blocks, L * L, LANES), np.int8)
        self.neighbors = neighbor_table(L)
        self._thresholds = metropolis_thresholds(self.T)
        self._p_add = wolff_threshold(self.T)

    def advance(self, steps):
        """`steps` updates of every chain: Metropolis sweeps or Wolff cluster flips."""
        if self.algorithm == "metropolis":
            _metropolis_blocks(self.spins, self.states, self.neighbors, self._thresholds, steps)
        else:
            _wolff_blocks(self.spins, self.states, self.neighbors, self._p_add, steps)

    def measure(self):
        """(E, M) per chain, as int32 totals."""
        chains = self.spins.shape[0] * LANES
        energy, magnetization = np.empty(chains, np.int32), np.empty(chains, np.int32)
        _measure(self.spins, self.neighbors, energy, magnetization)
        return energy[: self.n_chains], magnetization[: self.n_chains]

    def configurations(self):
        """(chains, L*L) int8 spins, row-major sites."""
        chains = self.spins.transpose(0, 2, 1).reshape(-1, self.L * self.L)
        return chains[: self.n_chains]

    def evolve(self, steps, records, keep_spins=False):
        """Advance `steps` updates, then record; `records` times.

        Returns energy and magnetization of shape (chains, records) and, when
        `keep_spins`, the configurations (chains, records, L*L) int8.
        """
        energy = np.empty((self.n_chains, records), np.int32)
        magnetization = np.empty_like(energy)
        kept = np.empty((self.n_chains, records if keep_spins else 0, self.L * self.L), np.int8)
        for t in range(records):
            self.advance(steps)
            energy[:, t], magnetization[:, t] = self.measure()
            if keep_spins:
                kept[:, t] = self.configurations()
        return energy, magnetization, kept
