"""Independent equilibrium samples: burn in, measure tau_int, keep one sample per 2 tau_int."""

import logging
import math
from dataclasses import dataclass

import numpy as np

from scaleinv.errors import ScaleinvError
from scaleinv.ising.autocorr import integrated_time
from scaleinv.ising.kernels import Chains

log = logging.getLogger(__name__)

MIN_PILOT_TAUS = 50  # a pilot shorter than this many tau_int gives a poor estimate
MAX_PILOT = 1 << 17


@dataclass
class IsingSamples:
    spins: np.ndarray  # (n, L*L) uint8: spin -1 -> 0, +1 -> 1, row-major
    energy: np.ndarray  # (n,) int32, total E = -sum over bonds s_i s_j (J = 1)
    magnetization: np.ndarray  # (n,) int32, total M = sum s_i
    autocorr: list  # one dict per observable: tau_int, window, thinning, burn-in, ...


def chain_seeds(seed, L, T, chains):
    """One uint64 stream seed per chain, distinct for every (seed, L, T)."""
    sequence = np.random.SeedSequence([seed, L, round(T * 1_000_000)])
    return sequence.generate_state(chains, np.uint64)


def sample_ising(
    L, T, n_samples, algorithm="metropolis", seed=0, chains=128, burn_in=1000, pilot=2000
):
    """`n_samples` configurations of the L x L Ising torus at temperature T.

    Chains start all-up and run `burn_in` updates (Metropolis sweeps or Wolff cluster
    flips). A pilot run then measures tau_int of E and |M|, doubling until it spans
    MIN_PILOT_TAUS times the larger one; after it, each chain keeps one configuration
    every ceil(2 tau_int) updates, and samples are taken round-robin over chains.
    """
    T = float(T)
    chains = min(chains, n_samples)
    state = Chains(L, T, chain_seeds(seed, L, T, chains), algorithm)
    state.advance(burn_in)
    energy, magnetization, _ = state.evolve(1, pilot)
    while True:
        taus = {
            "energy": integrated_time(energy),
            "abs_magnetization": integrated_time(np.abs(magnetization)),
        }
        slowest = max(tau for tau, _ in taus.values())
        converged = all(window is not None for _, window in taus.values())
        if converged and energy.shape[1] >= MIN_PILOT_TAUS * slowest:
            break
        if energy.shape[1] >= MAX_PILOT:
            raise ScaleinvError(
                f"Ising L={L} T={T}: tau_int ({slowest:.0f} updates) did not settle within a "
                f"{MAX_PILOT}-update pilot; set ising.algorithm: wolff near T_c"
            )
        more_e, more_m, _ = state.evolve(1, energy.shape[1])
        energy, magnetization = np.hstack([energy, more_e]), np.hstack([magnetization, more_m])
    pilot_length = energy.shape[1]
    thinning = max(1, math.ceil(2 * slowest))
    per_chain = -(-n_samples // chains)
    log.info(
        "Ising L=%d T=%g %s: tau_int E %.2f, |M| %.2f updates; pilot %d; keep 1 in %d; %d chains",
        L, T, algorithm, taus["energy"][0], taus["abs_magnetization"][0], pilot_length, thinning,
        chains,
    )  # fmt: skip
    energy, magnetization, spins = state.evolve(thinning, per_chain, keep_spins=True)
    kept = {"energy": energy, "abs_magnetization": np.abs(magnetization)}
    autocorr = [
        {
            "observable": name,
            "tau_int": tau,
            "window": window,
            "thinning": thinning,
            "burn_in": burn_in + pilot_length,
            "chains": chains,
            # tau_int of the kept samples, in samples: 0.5 means uncorrelated.
            "tau_int_kept": integrated_time(kept[name])[0],
        }
        for name, (tau, window) in taus.items()
    ]
    return IsingSamples(
        spins=((_round_robin(spins, n_samples) + 1) // 2).astype(np.uint8),
        energy=_round_robin(energy, n_samples),
        magnetization=_round_robin(magnetization, n_samples),
        autocorr=autocorr,
    )


def _round_robin(per_chain, n):
    """(chains, records, ...) -> (n, ...): record t of every chain before record t + 1."""
    return np.swapaxes(per_chain, 0, 1).reshape(-1, *per_chain.shape[2:])[:n]
