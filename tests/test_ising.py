"""Ising sampler checked against exact results: enumeration, Onsager, its own reference."""

import shutil

import numba
import numpy as np
import polars as pl
import pytest
from scipy.stats import chisquare

import ising_reference as reference
from conftest import TINY, snakemake
from ising_exact import boltzmann_em, enumerate_states, onsager_energy_per_spin
from scaleinv.ising.autocorr import integrated_time
from scaleinv.ising.dataset import write_ising_dataset
from scaleinv.ising.kernels import Chains
from scaleinv.ising.sampler import sample_ising

TEMPERATURES = [1.53, 2.26, 3.28]
ALGORITHMS = ["metropolis", "wolff"]


@pytest.mark.slow
@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("L", [4, 5])
def test_kernel_follows_the_reference_bit_for_bit(algorithm, L):
    seeds = np.array(
        [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27], np.uint64
    )
    for T in TEMPERATURES:
        chains = Chains(L, T, seeds, algorithm)
        energy, magnetization, spins = chains.evolve(2, 30, keep_spins=True)
        for c in (0, 16):  # first and last chain, in different blocks
            s, state = [1] * (L * L), int(seeds[c])
            for t in range(30):
                for _ in range(2):
                    update = (
                        reference.wolff_update
                        if algorithm == "wolff"
                        else reference.metropolis_sweep
                    )
                    state = update(s, L, T, state)
                assert (energy[c, t], magnetization[c, t]) == reference.energy_magnetization(s, L)
                assert spins[c, t].tolist() == s


def test_enumeration_counts_known_states():
    energy, magnetization = enumerate_states(4)
    assert len(energy) == 2**16
    assert sorted(set(energy.tolist()))[:2] == [-32, -24]
    assert np.sum(energy == -32) == 2  # the two ground states
    assert np.sum(energy == 32) == 2  # the two checkerboards
    assert energy.sum() == 0 and magnetization.sum() == 0


def em_chi_square(energy, magnetization, exact):
    """Chi-square p-value of sampled (E, M) against exact probabilities (bins with
    expected count < 5 are pooled)."""
    counts = {}
    for key in zip(energy.tolist(), magnetization.tolist(), strict=True):
        counts[key] = counts.get(key, 0) + 1
    n = len(energy)
    keys = sorted(exact, key=exact.get, reverse=True)
    big = [k for k in keys if exact[k] * n >= 5]
    observed = [counts.get(k, 0) for k in big]
    expected = [exact[k] * n for k in big]
    observed.append(n - sum(observed))
    expected.append(n - sum(expected))
    return chisquare(observed, expected).pvalue


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("T", TEMPERATURES)
def test_fast_sampler_matches_exact_boltzmann_on_4x4(algorithm, T):
    samples = sample_ising(4, T, 100_000, algorithm, seed=1, chains=64)
    exact = boltzmann_em(4, T)
    assert em_chi_square(samples.energy, samples.magnetization, exact) > 1e-3
    # The same test rejects a sampler that is off by a tenth in temperature.
    assert em_chi_square(samples.energy, samples.magnetization, boltzmann_em(4, T + 0.1)) < 1e-3


@pytest.mark.slow
@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("T", TEMPERATURES)
def test_reference_matches_exact_boltzmann_on_4x4(algorithm, T):
    update = reference.wolff_update if algorithm == "wolff" else reference.metropolis_sweep
    steps = 4 if algorithm == "metropolis" else 8
    s, state, energy, magnetization = [1] * 16, 99, [], []
    for t in range(100 + 6000 * steps):
        state = update(s, 4, T, state)
        if t >= 100 and t % steps == 0:
            e, m = reference.energy_magnetization(s, 4)
            energy.append(e)
            magnetization.append(m)
    assert em_chi_square(np.array(energy), np.array(magnetization), boltzmann_em(4, T)) > 1e-3


@pytest.mark.slow
@pytest.mark.parametrize("T", [1.5, 3.5])
def test_energy_per_spin_matches_onsager_away_from_tc(T):
    samples = sample_ising(32, T, 3000, "metropolis", seed=2, chains=32)
    per_spin = samples.energy / 32**2
    assert abs(per_spin.mean() - onsager_energy_per_spin(T)) < 0.005
    assert onsager_energy_per_spin(1.5) == pytest.approx(-1.9511, abs=1e-4)


def test_low_temperature_samples_visit_both_ordered_states():
    samples = sample_ising(10, 1.53, 20_000, "metropolis", seed=3)
    assert 0.47 < np.mean(samples.magnetization > 0) < 0.53
    assert samples.spins.dtype == np.uint8 and set(np.unique(samples.spins)) == {0, 1}
    # spins 0/1 and magnetization agree: M = sum(2 s - 1)
    np.testing.assert_array_equal(
        (2 * samples.spins.astype(int) - 1).sum(axis=1), samples.magnetization
    )


@pytest.mark.slow
def test_samples_do_not_depend_on_thread_count():
    runs = []
    for threads in (1, 2):
        numba.set_num_threads(threads)
        runs.append(sample_ising(6, 2.26, 3000, "metropolis", seed=4, chains=40))
    numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    np.testing.assert_array_equal(runs[0].spins, runs[1].spins)
    np.testing.assert_array_equal(runs[0].energy, runs[1].energy)


def test_dataset_files_are_byte_identical_for_one_seed(tmp_path):
    for run in ("a", "b"):
        settings = {"n_samples": 1000, "algorithm": "wolff", "seed": 5, "chains": 16}
        write_ising_dataset(
            6, "2.26", settings, 2, tmp_path / f"{run}.npz", tmp_path / f"{run}.parquet"
        )
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    table = pl.read_parquet(tmp_path / "a.parquet")
    assert table["observable"].to_list() == ["energy", "abs_magnetization"]
    assert (table["thinning"] >= 2 * table["tau_int"]).all()
    assert (table["tau_int_kept"] < 1.0).all()  # kept samples are nearly uncorrelated


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.8])
def test_integrated_time_of_ar1_process(rho):
    rng = np.random.default_rng(6)
    noise = rng.normal(size=(40, 20_000))
    series = np.zeros_like(noise)
    for t in range(1, series.shape[1]):
        series[:, t] = rho * series[:, t - 1] + noise[:, t]
    tau, window = integrated_time(series)
    assert tau == pytest.approx((1 + rho) / (2 * (1 - rho)), rel=0.05)  # exact for AR(1)
    assert window is not None


def test_integrated_time_of_constant_series_is_one_half():
    assert integrated_time(np.ones((3, 100))) == (0.5, 0)


@pytest.mark.slow
@pytest.mark.snakemake
def test_ising_rule_through_snakemake(workflow_copy):
    shutil.copy(TINY, workflow_copy / "config.yaml")
    run = snakemake(workflow_copy, "results/ising/autocorr.parquet", "--cores", "2")
    assert run.returncode == 0, run.stdout
    with np.load(workflow_copy / "results/data/ising_L6_T2.26.npz") as data:
        assert sorted(data.files) == ["energy", "magnetization", "x_train"]
        assert data["x_train"].shape == (2000, 36) and data["x_train"].dtype == np.uint8
    log = (workflow_copy / "results/logs/ising/ising_L6_T2.26.log").read_text()
    assert "Ising L=6 T=2.26 metropolis: tau_int E" in log and "; 16 chains" in log
    assert (
        pl.read_parquet(workflow_copy / "results/ising/autocorr.parquet")["T"].to_list()
        == ["2.26"] * 2
    )
