"""Per-layer CCDFs with the fitted laws drawn over them (Clauset, Shalizi & Newman's way of
showing a fit): the empirical P(K >= k) of the codes' cluster sizes as markers, the power
law and the power law with exponential cutoff from x_min, scaled to the tail's share,
x_min marked."""

import numpy as np
import polars as pl

from scaleinv.plots.degeneracy_figures import _hidden, _last_snapshot
from scaleinv.stats.alternatives import cutoff_log_norm
from scaleinv.stats.powerlaw_fit import tail_mass


def ccdf_points(group):
    """(k, P(K >= k)) over the distinct sizes of one group's (k, m) rows."""
    group = group.sort("k")
    k, m = group["k"].to_numpy().astype(float), group["m"].to_numpy().astype(float)
    return k, np.cumsum(m[::-1])[::-1] / m.sum()


def fitted_ccdf(fit, k_max):
    """(k, P(K >= k)) of the fitted law from x_min to k_max, scaled by the tail's share."""
    k = np.unique(np.geomspace(fit["xmin"], k_max, 60).round())
    law = tail_mass(fit["alpha"], k, fit["xmax"]) / tail_mass(
        fit["alpha"], fit["xmin"], fit["xmax"]
    )
    return k, fit["tail_codes"] * law


def cutoff_ccdf(fit, k_max):
    """(k, P(K >= k)) of the fitted cutoff law from x_min to k_max, scaled like the power
    law's: one minus the running sum of its probabilities (exact, if cancelling below 1e-12)."""
    alpha, lam, xmin = fit["cutoff_alpha"], fit["cutoff_lambda"], fit["xmin"]
    k = np.arange(xmin, int(k_max) + 1, dtype=float)
    pmf = np.exp(-alpha * np.log(k) - lam * k - cutoff_log_norm(alpha, lam, xmin, fit["xmax"]))
    below = np.concatenate([[0.0], np.cumsum(pmf)[:-1]])
    return k, fit["tail_codes"] * np.clip(1 - below, 1e-12, None)


def ccdf(figure, degeneracy, settings, experiments, fits):
    """One row of panels per experiment, one panel per hidden layer (training split, first
    seed, last snapshot epoch)."""
    frame = _hidden(_last_snapshot(degeneracy))
    names = frame["experiment"].unique(maintain_order=True).to_list()
    layers = {
        name: frame.filter(pl.col("experiment") == name)["layer"].unique().sort().to_list()
        for name in names
    }
    columns = max((len(found) for found in layers.values()), default=1)
    axes = figure.subplots(max(len(names), 1), columns, squeeze=False)
    for row, name in enumerate(names):
        for column, layer in enumerate(layers[name]):
            group = frame.filter(pl.col("experiment") == name, pl.col("layer") == layer)
            title = f"{name} {layer} ({experiments[name]['dataset']})"
            _panel(axes[row][column], group, fits, title)
    for ax in axes.flat:
        if not ax.has_data():
            ax.set_axis_off()


def _panel(ax, group, fits, title):
    k, p = ccdf_points(group)
    ax.loglog(k, p, "o", ms=2.5, color="C0", label="codes")
    key = {c: group[c][0] for c in ("experiment", "seed", "epoch", "layer", "split")}
    fit = fits.filter(*(pl.col(c) == v for c, v in key.items()))
    if fit.height and fit["status"][0] == "ok":
        fit = fit.row(0, named=True)
        label = f"power law, beta = {fit['beta']:.2f}, p = {fit['p_value']:.2f}"
        ax.loglog(*fitted_ccdf(fit, k.max()), "-", color="C3", label=label)
        cutoff = f"cutoff law, lambda = {fit['cutoff_lambda']:.2g}, LLR p = {fit['p_cutoff']:.2f}"
        ax.loglog(*cutoff_ccdf(fit, k.max()), "--", color="C2", label=cutoff)
        ax.axvline(fit["xmin"], color="grey", ls=":", lw=0.8, label=f"x_min = {fit['xmin']}")
    else:
        title += " - no fit"
    ax.set_title(title)
    ax.set_xlabel("cluster size k (inputs per code)")
    ax.set_ylabel("P(K >= k) (share of codes)")
    ax.legend(frameon=False, fontsize="small", loc="lower left")  # the CCDF falls to the right
