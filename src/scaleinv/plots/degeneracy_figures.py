"""The paper's figures: m(k) against k on log axes per layer, epoch or temperature, as
markers (lines through a sparse tail suggest a trend the points do not show)."""

import math

import matplotlib
import numpy as np
import polars as pl
from matplotlib.ticker import NullFormatter

MAX_COLUMNS = 4  # panels per row: seven Ising temperatures in one row are unreadable


def _last_snapshot(frame):
    """Training split, first seed, last snapshot epoch of each experiment."""
    frame = frame.filter(pl.col("split") == "train")
    frame = frame.filter(pl.col("seed") == pl.col("seed").min().over("experiment"))
    return frame.filter(pl.col("epoch") == pl.col("epoch").max().over("experiment"))


def _hidden(frame):
    return frame.filter(pl.col("layer") != "x")


def _loglog(ax, frame, by, label_format="{}"):
    """One line of m(k) against k per value of column `by`, coloured along the colormap."""
    values = frame[by].unique().sort().to_list()
    colours = matplotlib.colormaps[matplotlib.rcParams["image.cmap"]](
        np.linspace(0.1, 0.9, max(len(values), 1))
    )
    for value, colour in zip(values, colours, strict=True):
        part = frame.filter(pl.col(by) == value).sort("k")
        ax.loglog(
            part["k"], part["m"], "o", ms=2.5, alpha=0.8, color=colour,
            label=label_format.format(value),
        )  # fmt: skip
    ax.set_xlabel("cluster size k (inputs per code)")
    ax.set_ylabel("m(k) (codes of size k)")
    for axis in (ax.xaxis, ax.yaxis):  # a narrow log range labels minor ticks, overlapping
        axis.set_minor_formatter(NullFormatter())
    ax.legend(frameon=False)


def _panels(figure, frame, by, panel_column, titles=None, label_format="{}"):
    """One panel per value of `panel_column`, in rows of at most MAX_COLUMNS."""
    names = frame[panel_column].unique(maintain_order=True).to_list()
    panels = max(len(names), 1)
    columns = min(panels, MAX_COLUMNS)
    axes = figure.subplots(math.ceil(panels / columns), columns, squeeze=False).ravel()
    for ax, name in zip(axes, names, strict=False):
        _loglog(ax, frame.filter(pl.col(panel_column) == name), by, label_format)
        ax.set_title(titles(name) if titles else str(name))
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    return axes


def titled(experiments):
    """Panel titles: experiment id and its dataset."""
    return lambda id: f"{id} ({experiments[id]['dataset']})"


def hidden_layers(figure, degeneracy, settings, experiments):
    """Fig. 1 (RBM, MLP, autoencoder) and Fig. 3 (CNN autoencoder): one panel per
    experiment, one series per hidden layer."""
    frame = _hidden(_last_snapshot(degeneracy))
    _panels(figure, frame, "layer", "experiment", titles=titled(experiments))


def fig2(figure, degeneracy, settings, experiments, embedding):
    """Fig. 2: the RBM's z1 cluster sizes against k-means clusters, and the t-SNE panels."""
    axes = figure.subplots(1, 3)
    sizes = _hidden(_last_snapshot(degeneracy)).filter(pl.col("layer") == "z1")
    _loglog(axes[0], sizes, "experiment")
    datasets = sorted({facts["dataset"] for facts in experiments.values()})
    axes[0].set_title(f"RBM codes vs k-means clusters ({', '.join(datasets)})")
    for ax, panel, title in zip(
        axes[1:],
        ("codes", "pixels"),
        ("t-SNE of RBM codes", "t-SNE of pixels (k-means colours)"),
        strict=True,
    ):
        points = embedding.filter(pl.col("panel") == panel)
        ax.scatter(points["x"], points["y"], c=points["group"] % 20, cmap="tab20", s=1, lw=0)
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])


def fig4(figure, degeneracy, settings, experiments):
    """Fig. 4: one panel per hidden layer, one line per snapshot epoch (0 = untrained)."""
    frame = _hidden(degeneracy.filter(pl.col("split") == "train"))
    frame = frame.filter(pl.col("seed") == pl.col("seed").min())
    datasets = ", ".join(sorted({facts["dataset"] for facts in experiments.values()}))
    _panels(figure, frame, "epoch", "layer", lambda layer: f"{layer} ({datasets})", "epoch {}")


def fig5(figure, degeneracy, settings, experiments):
    """Fig. 5: Ising autoencoder, m(k_x) and m(k_z) per temperature."""
    frame = _last_snapshot(degeneracy)
    _panels(
        figure,
        frame,
        "layer",
        "experiment",
        titles=lambda id: f"{experiments[id]['name']}: T = {experiments[id]['temperature']} J/k_B",
    )
