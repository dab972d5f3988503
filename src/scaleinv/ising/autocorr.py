"""Integrated autocorrelation time, to space samples so they are independent."""

import numpy as np


def integrated_time(series, c=5.0):
    """tau_int = 1/2 + sum_{t>=1} rho(t) of `series` (chains, time), and the window used.

    The autocorrelation is averaged over chains (each about its own mean) and the sum is
    cut at the smallest window W >= c * tau_int(W) (Sokal 1997, "Monte Carlo methods in
    statistical mechanics", sec. 3). With this convention independent samples give 1/2,
    and samples 2 * tau_int apart count as independent (N_eff = N / (2 tau_int)).
    Returns (tau, window); window is None when the series is too short to find one.
    """
    x = np.asarray(series, dtype=float)
    x = x - x.mean(axis=1, keepdims=True)
    n = x.shape[1]
    spectrum = np.fft.rfft(x, n=2 * n, axis=1)
    acf = np.fft.irfft(spectrum * np.conj(spectrum), axis=1)[:, :n].mean(axis=0)
    if acf[0] <= 0:  # a constant series carries no correlation to measure
        return 0.5, 0
    tau = 0.5 + np.cumsum(acf[1:] / acf[0])
    windows = np.arange(1, n)
    fits = np.nonzero(windows >= c * tau)[0]
    if fits.size == 0:
        return float(tau[-1]), None
    return float(tau[fits[0]]), int(windows[fits[0]])
