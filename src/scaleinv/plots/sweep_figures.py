"""One figure per sweep: mean beta with its 95 % confidence interval over seeds, and the share
of seeds whose power law passes the CSN test, against the sweep's first axis (T for Ising
sweeps), one series per hidden layer and value of the other axes."""

import numpy as np
import polars as pl

from scaleinv.sweep_table import POINT
from scaleinv.sweeps import axis_named
from scaleinv.tables import last_hidden_layers


def _positions(labels):
    """x positions of axis values: the numbers themselves, or 0, 1, ... for categories
    (activation, code, widths lists), then labelled as ticks."""
    try:
        return np.array([float(v) for v in labels]), False
    except ValueError:
        return np.arange(len(labels), dtype=float), True


def sweep(figure, table, axes_names):
    """table: a sweep table; axes_names: its grid axes, the first on the x axis."""
    x_axis, others = axes_names[0], axes_names[1:]
    summary = last_hidden_layers(table, "point").unique(POINT, keep="first").sort(x_axis)
    beta_ax, pass_ax = figure.subplots(1, 2)
    series = summary.select(*others, "layer").unique(maintain_order=True).sort(pl.all()).rows()
    for i, key in enumerate(series):
        part = summary.filter(
            *(pl.col(c) == v for c, v in zip([*others, "layer"], key, strict=True))
        )
        labels = part[x_axis].to_list()
        x, categorical = _positions(labels)
        label = " ".join([*(f"{c}={v}" for c, v in zip(others, key, strict=False)), key[-1]])
        colour = f"C{i % 10}"
        mean = part["beta_mean"].to_numpy()
        error = [mean - part["beta_low"].to_numpy(), part["beta_high"].to_numpy() - mean]
        beta_ax.errorbar(x, mean, yerr=error, fmt="o", ms=3, capsize=2, color=colour, label=label)
        pass_ax.plot(x, part["pass_rate"], "s", ms=3, color=colour, label=label)
        if categorical:
            beta_ax.set_xticks(x, labels)
            pass_ax.set_xticks(x, labels)
    axis = axis_named(x_axis)  # None for a seed-only sweep, drawn against its one point
    title = axis.title if axis else x_axis
    beta_ax.set_xlabel(title)
    beta_ax.set_ylabel("beta, mean over seeds (bars: 95 % CI)")
    pass_ax.set_xlabel(title)
    pass_ax.set_ylabel("share of seeds with CSN p >= 0.1")
    pass_ax.set_ylim(-0.05, 1.05)
    pass_ax.legend(frameon=False, fontsize="small")
