"""The scaling figure of one experiment (`scaleinv.analysis.scaling`): per layer, the number
of distinct codes K(M) and the tail's beta(M) against the subsample size M with what a
scale-free occupancy code predicts (K ~ M^beta; beta = Heaps' h), the CSN p-value and the
evidence class against M, the CCDFs at each M with k rescaled by M (they collapse onto
one curve where the sizes scale with M), and the observed (h, beta) against the draws of the
occupancy pair test (`scaleinv.stats.scaling_test`)."""

import matplotlib
import matplotlib.ticker
import numpy as np
import polars as pl

from scaleinv.analysis.scaling import summarise
from scaleinv.plots.ccdf_figures import ccdf_points
from scaleinv.stats.ladder import LADDER, consensus, rung
from scaleinv.stats.powerlaw_fit import SIGNIFICANCE
from scaleinv.stats.scaling_test import outlyingness_p

PANELS = 5  # K(M), beta(M), p and class, rescaled CCDFs, the (h, beta) test


def scaling(figure, table, degeneracy, pairs=None):
    """One row of panels per layer of the first seed and the training split (else the
    first split), every snapshot epoch; `pairs`: the occupancy pair test's draws (None:
    that panel says so)."""
    splits = table["split"].unique().sort().to_list()
    split = "train" if "train" in splits else splits[0]
    first = table.filter(pl.col("seed") == table["seed"].min(), pl.col("split") == split)
    groups = first.group_by(["epoch", "layer"], maintain_order=True)
    keys = sorted(key for key, _ in groups)
    width, height = figure.get_size_inches()
    figure.set_size_inches(width, height * len(keys))
    axes = figure.subplots(len(keys), PANELS, squeeze=False)
    for row, (epoch, layer) in zip(axes, keys, strict=True):
        group = first.filter(pl.col("epoch") == epoch, pl.col("layer") == layer)
        sizes = degeneracy.join(
            group.select("seed", "epoch", "layer", "split"),
            on=["seed", "epoch", "layer", "split"],
            how="semi",
        )
        name = f"{group['experiment'][0]} {layer}, epoch {epoch}, seed {group['seed'][0]}"
        summary = summarise(group)
        _distinct(row[0], group, summary, name)
        _beta(row[1], group, summary)
        _p_and_class(row[2], group)
        _collapse(row[3], sizes.filter(pl.col("replicate") == 0))
        draws = None
        if pairs is not None:
            draws = pairs.join(
                group.select("seed", "epoch", "layer", "split").unique(),
                on=["seed", "epoch", "layer", "split"],
                how="semi",
            )
        _pair(row[4], draws, summary)


def _distinct(ax, group, summary, name):
    m, k = group["M"].to_numpy(), group["distinct"].to_numpy()
    ax.loglog(m, k, "o", ms=4, color="C0", label="subsamples")
    grid = np.geomspace(m.min(), m.max(), 20)
    top = group.filter(pl.col("M") == m.max())["distinct"].median()
    if np.isfinite(summary["heaps"]):
        # Heaps fit K = c M^h through the geometric means (least squares in log-log)
        centre = np.exp(np.log(k).mean() - summary["heaps"] * np.log(m).mean())
        label = f"Heaps fit, h = {summary['heaps']:.2f}"
        ax.loglog(grid, centre * grid ** summary["heaps"], "-", color="C3", label=label)
    if summary["beta"] is not None:
        # Occupancy prediction (Karlin 1967): a scale-free code has h = beta
        label = f"occupancy: K ~ M^beta, beta = {summary['beta']:.2f}"
        prediction = top * (grid / m.max()) ** summary["beta"]
        ax.loglog(grid, prediction, "--", color="C2", label=label)
    ax.set_ylim(k.min() / 3, k.max() * 3)  # a prediction far off the data leaves the panel
    ax.set_title(name)
    _m_axis(ax, m)
    ax.set_ylabel("distinct codes K(M)")
    ax.legend(frameon=False, fontsize="small")


def _beta(ax, group, summary):
    fitted = group.filter(pl.col("status") == "ok")
    if fitted.height == 0:
        ax.text(0.5, 0.5, "no fit at any M", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    ax.errorbar(
        fitted["M"],
        fitted["beta"],
        yerr=fitted["se"],
        fmt="o",
        ms=4,
        color="C0",
        label="beta (CSN tail fit)",
    )
    if np.isfinite(summary["heaps"]):
        ax.axhline(
            summary["heaps"],
            color="C2",
            ls="--",
            label=f"occupancy: beta = h = {summary['heaps']:.2f}",
        )
    ax.set_yscale("log")
    low, high = ax.get_ylim()
    ax.set_ylim(low, high * (high / low) ** 0.3)  # room for the legend above the points
    ticks = np.geomspace(low, high, 7)[1:-1]  # a narrow log range has no decade to label
    ax.set_yticks(ticks, [f"{t:.2g}" for t in ticks])
    ax.minorticks_off()
    _m_axis(ax, group["M"])
    ax.set_ylabel("tail exponent beta")
    ax.legend(frameon=False, fontsize="small")


def _p_and_class(ax, group):
    p = group.filter(pl.col("p_value").is_not_null())
    ax.semilogx(p["M"], p["p_value"], "o", ms=4, color="C0", label="CSN p-value")
    ax.axhline(SIGNIFICANCE, color="grey", ls=":", lw=0.8, label=f"p = {SIGNIFICANCE}")
    ax.set_ylim(-0.03, 1.03)
    ax.set_ylabel("CSN bootstrap p-value")
    classes = group.group_by("M").agg(pl.col("evidence")).sort("M")
    twin = ax.twinx()
    levels = [rung(consensus(c)) for c in classes["evidence"]]
    twin.semilogx(classes["M"], levels, "s", ms=5, mfc="none", color="C1", label="class")
    twin.set_ylim(-0.5, len(LADDER) - 0.5)
    twin.set_yticks(range(len(LADDER)), LADDER, fontsize="small")
    twin.set_ylabel("evidence class (most replicates)")
    _m_axis(ax, group["M"])
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles=handles, frameon=False, fontsize="small")


def _collapse(ax, sizes):
    subsamples = sizes["M"].unique().sort().to_list()
    colours = matplotlib.colormaps["viridis"]
    for index, m in enumerate(subsamples):
        k, p = ccdf_points(sizes.filter(pl.col("M") == m))
        colour = colours(index / max(len(subsamples) - 1, 1))
        ax.loglog(k / m, p, "o", ms=2.5, color=colour, label=f"M = {m:,}")
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())  # no crowded labels
    ax.set_xlabel("k / M (share of inputs)")
    ax.set_ylabel("P(K >= k) (share of codes)")
    ax.legend(frameon=False, fontsize="small", loc="lower left")


def _pair(ax, draws, summary):
    """The observed (h, beta) (star) against the draws of the fitted occupancy law (dots),
    with the test's p in the title. No h = beta line: at finite M a scale-free code's pair
    sits off it (the cloud shows where)."""
    observed = (summary["heaps"], summary["beta"])
    if draws is None or draws.height == 0 or summary["beta"] is None:
        ax.text(0.5, 0.5, "no occupancy pair test", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    cloud = draws.select("heaps", "beta").to_numpy().astype(float)
    p, _ = outlyingness_p(observed, cloud)
    ax.plot(cloud[:, 0], cloud[:, 1], ".", ms=2.5, color="C0", alpha=0.5,
            label=f"{len(cloud)} draws, fitted law")  # fmt: skip
    ax.plot(*observed, "*", ms=11, color="C3", label="observed")
    finite = cloud[np.isfinite(cloud).all(axis=1)]
    points = np.vstack([finite, observed])
    low, high = points.min(axis=0), points.max(axis=0)
    pad = 0.15 * np.maximum(high - low, 0.02)
    ax.set_xlim(low[0] - pad[0], high[0] + pad[0])
    ax.set_ylim(low[1] - pad[1], high[1] + 2.5 * pad[1])  # room for the legend
    ax.set_xlabel("Heaps' h")
    ax.set_ylabel("tail beta at the largest M")
    ax.set_title(f"occupancy pair p = {p:.2g}")
    ax.legend(frameon=False, fontsize="small", loc="upper left")


def _m_axis(ax, m):
    """A log axis of M ticked at the subsample sizes (2.5k, 5k, ...), no minor labels;
    going down from the largest, a size within a factor 2 of the last labelled one keeps
    its tick, not its label (40k, 50k, 60k would print over each other)."""
    ticks = np.unique(np.asarray(m))
    labels, last = [], np.inf
    for tick in ticks[::-1]:
        crowded = tick * 2 > last
        labels.insert(0, "" if crowded else f"{tick / 1000:g}k")
        last = last if crowded else tick
    ax.set_xscale("log")
    ax.set_xticks(ticks, labels)
    ax.minorticks_off()
    ax.set_xlim(ticks.min() / 1.3, ticks.max() * 1.3)
    ax.set_xlabel("subsample size M (inputs)")
