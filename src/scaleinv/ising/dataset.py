"""The Ising dataset file `results/data/ising_L{L}_T{T}.npz` and its autocorrelation table."""

import numba

from scaleinv.atomic import save_npz
from scaleinv.ising.sampler import sample_ising
from scaleinv.tables import write_table


def write_ising_dataset(L, T, settings, threads, data_path, autocorr_path):
    """Sample and write: x_train (spins as 0/1), energy and magnetization (totals), no labels.

    T is the temperature as written in the config and file name (e.g. "2.26"); settings:
    the config block `ising` (n_samples, algorithm, seed, chains). The samples do not
    depend on `threads` (each chain has its own random stream).
    """
    numba.set_num_threads(threads)
    algorithm = settings["algorithm"]
    samples = sample_ising(
        L, float(T), settings["n_samples"], algorithm, settings["seed"], settings["chains"]
    )
    save_npz(
        data_path,
        {
            "x_train": samples.spins,
            "energy": samples.energy,
            "magnetization": samples.magnetization,
        },
    )
    rows = [{"L": L, "T": T, "algorithm": algorithm, **row} for row in samples.autocorr]
    write_table(rows, autocorr_path)
