"""Our statistics: fitted exponents, the relevance-resolution plane, the information plane."""

import matplotlib
import numpy as np
import polars as pl

from scaleinv.codes.matching import DRAW
from scaleinv.stats.frontier import relevance_max
from scaleinv.stats.powerlaw_fit import SIGNIFICANCE

FRONTIER_POINTS = 121  # resolutions at which the maximal-relevance frontier is drawn


def fits(figure, table, settings, experiments):
    """beta +- SE of every fitted layer (training split), labelled experiment, seed, epoch,
    layer; hollow red markers: the bootstrap rejects the power law (p < 0.1); degenerate
    layers are listed, not drawn."""
    ax = figure.subplots()
    fitted = table.filter((pl.col("split") == "train") & (pl.col("status") == "ok"))
    labels = [
        f"{r['experiment']} s{r['seed']} e{r['epoch']} {r['layer']}"
        for r in fitted.iter_rows(named=True)
    ]
    position = np.arange(len(labels))
    for rejected, style in (
        (False, dict(fmt="o", color="C0")),
        (True, dict(fmt="o", color="C3", mfc="none")),
    ):
        chosen = (fitted["p_value"] < SIGNIFICANCE).to_numpy() == rejected
        ax.errorbar(
            position[chosen],
            fitted["beta"].to_numpy()[chosen],
            yerr=fitted["se"].to_numpy()[chosen],
            label=f"p {'<' if rejected else '>='} {SIGNIFICANCE}",
            ms=4,
            capsize=2,
            **style,
        )
    ax.set_xticks(position, labels, rotation=90)
    ax.set_ylabel("beta (m(k) ~ k^(-beta-1))")
    ax.axhline(1, color="grey", lw=0.5, ls=":")
    ax.legend(frameon=False, title="bootstrap")


def distinct_colours(n):
    """n colours no two alike: qualitative palettes (tab10, then tab20, tab20b and tab20c,
    60 in all, whose neighbours differ in hue) while they suffice, else n evenly spaced hues
    (the robustness config draws 24 experiments in one panel)."""
    if n <= 10:
        return [matplotlib.colormaps["tab10"](index) for index in range(n)]
    palette = [
        matplotlib.colormaps[name](index)
        for name in ("tab20", "tab20b", "tab20c")
        for index in range(20)
    ]
    if n <= len(palette):
        return palette[:n]
    return list(matplotlib.colormaps["nipy_spectral"](np.linspace(0.03, 0.95, n)))


def relevance_resolution(figure, table, settings, experiments):
    """Each layer at (H(Z), H(K)), labelled layer and epoch (first seed), under the exact
    maximal-relevance frontier of its M (the largest H(K) over integer m(k) at each H(Z),
    `scaleinv.stats.frontier`), which follows the diagonal H(K) = H(Z) (dotted; no sample
    lies above it) up to where one code per size stops being possible. Filled circles:
    trained networks; hollow circles: untrained (epoch 0); squares: controls that train
    nothing (k-means); diamonds: nulls matched to a network's layers (docs/null-codes.md)."""
    ax = figure.subplots()
    # a null's first draw stands for it (its others are in results/relevance.tsv)
    train = table.filter(
        pl.col("split") == "train", ~pl.col("layer").str.contains(DRAW, literal=True)
    )
    sizes = sorted(set(train["M"].to_list()))
    top = np.log(max(sizes, default=1))
    ax.plot([0, top], [0, top], color="grey", lw=0.6, ls=":", label="H(K) = H(Z)")
    for M, dash in zip(sizes, ("-", "--", "-.", (0, (1, 3))), strict=False):
        h_z = np.linspace(0, np.log(M), FRONTIER_POINTS)
        frontier = relevance_max(M, h_z).value
        ax.plot(h_z, frontier, color="black", lw=0.9, ls=dash, label=f"frontier, M = {M:,}")
    names = train["experiment"].unique(maintain_order=True)
    for experiment, colour in zip(names, distinct_colours(len(names)), strict=True):
        part = train.filter(pl.col("experiment") == experiment)
        control = experiments[experiment]["control"]
        null = experiments[experiment]["null"]
        marker = "D" if null else "s" if control else "o"
        label = experiment
        for untrained in (False, True):
            points = part.filter((pl.col("epoch") == 0) == untrained)
            if points.height == 0:
                continue
            hollow = not null and (untrained or control)  # a null has epoch 0 too
            ax.scatter(
                points["H_Z"], points["H_K"], s=14, marker=marker,
                facecolors="none" if hollow else colour, edgecolors=colour, label=label,
            )  # fmt: skip
            label = None  # one legend entry per experiment
        first = part.filter(pl.col("seed") == part["seed"].min())
        for row in first.iter_rows(named=True):
            label = f"{row['layer']} e{row['epoch']}"
            ax.annotate(label, (row["H_Z"], row["H_K"]), fontsize="xx-small", color=colour,
                        xytext=(2, 2), textcoords="offset points")  # fmt: skip
    ax.set_xlabel("resolution H(Z) [nats]")
    ax.set_ylabel("relevance H(K) [nats]")
    ax.legend(frameon=False, fontsize="small", loc="center left", bbox_to_anchor=(1, 0.5))


def info_plane(figure, table, settings, experiments):
    """H(Z) and I(Z;Y) of each hidden layer against the snapshot epoch (training split)."""
    axes = figure.subplots(1, 2)
    train = table.filter((pl.col("split") == "train") & (pl.col("layer") != "x"))
    layers = train["layer"].unique().sort().to_list()
    colours = matplotlib.colormaps[matplotlib.rcParams["image.cmap"]](
        np.linspace(0.1, 0.9, len(layers))
    )
    for ax, column, title in zip(axes, ("H_Z", "I_ZY"), ("resolution H(Z)", "I(Z;Y)"), strict=True):
        for layer, colour in zip(layers, colours, strict=True):
            part = train.filter(pl.col("layer") == layer).sort("epoch")
            label = f"{part['experiment'][0]} {layer}" if part.height else layer
            ax.plot(part["epoch"], part[column], "o-", ms=3, color=colour, label=label)
            if column == "I_ZY":  # what the plug-in estimate gives with shuffled labels: bias
                ax.plot(part["epoch"], part["I_ZY_shuffled"], "x:", ms=3, color=colour)
        ax.set_xscale("symlog", linthresh=1)
        ax.set_xlabel("epoch")
        ax.set_ylabel(f"{title} [nats]")
    axes[1].plot([], [], "kx:", ms=3, label="labels shuffled (bias)")
    axes[1].axhline(train["H_Y"].max(), color="grey", ls=":", lw=0.8, label="H(Y)")
    axes[1].legend(frameon=False, fontsize="small", loc="center left", bbox_to_anchor=(1, 0.5))
