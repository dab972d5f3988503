"""One figure per sweep: mean beta with its 95 % confidence interval over seeds, and the share
of seeds whose power law passes the CSN test, against the sweep's first axis (T for Ising
sweeps), one series per hidden layer and value of the other axes."""

import numpy as np
import polars as pl

from scaleinv.analysis.sweep_table import POINT
from scaleinv.ising import T_CRITICAL
from scaleinv.plan.sweeps import TEMPERATURE, axis_of_column
from scaleinv.tables import last_hidden_layers


def _positions(labels):
    """x positions of axis values: the numbers themselves, or 0, 1, ... for categories
    (activation, code, widths lists), then labelled as ticks."""
    try:
        return np.array([float(v) for v in labels]), False
    except ValueError:
        return np.arange(len(labels), dtype=float), True


def _number_first(value):
    """Sort key: numbers by value (width 4 before 12), then words."""
    try:
        return (0, float(value), "")
    except (TypeError, ValueError):
        return (1, 0.0, str(value))


def _title(column):
    """What an x axis says: the title of the sweep axis in `column`."""
    axis = axis_of_column(column)
    return axis.title if axis else column  # None for a seed-only sweep: its one point


def sweep(figure, table, axes_names):
    """table: a sweep table; axes_names: its grid axes, the first on the x axis. Series
    are shifted apart a little along x, so equal values at one point stay visible."""
    x_axis, others = axes_names[0], axes_names[1:]
    summary = last_hidden_layers(table, "point").unique(POINT, keep="first").sort(x_axis)
    beta_ax, pass_ax = figure.subplots(1, 2)
    keys = summary.select(*others, "layer").unique().rows()
    series = sorted(keys, key=lambda key: [_number_first(v) for v in key])
    for i, key in enumerate(series):
        part = summary.filter(
            *(pl.col(c) == v for c, v in zip([*others, "layer"], key, strict=True))
        )
        labels = part[x_axis].to_list()
        x, categorical = _positions(labels)
        gaps = np.diff(np.unique(x))
        spacing = gaps.min() if len(gaps) else 1.0
        shifted = x + (i - (len(series) - 1) / 2) * 0.6 * spacing / len(series)
        label = " ".join([*(f"{c}={v}" for c, v in zip(others, key, strict=False)), key[-1]])
        colour = f"C{i % 10}"
        mean = part["beta_mean"].to_numpy()
        error = [mean - part["beta_low"].to_numpy(), part["beta_high"].to_numpy() - mean]
        beta_ax.errorbar(
            shifted, mean, yerr=error, fmt="o", ms=3, capsize=2, color=colour, label=label
        )
        pass_ax.plot(shifted, part["pass_rate"], "s", ms=3, color=colour, label=label)
        if categorical:
            beta_ax.set_xticks(x, labels)
            pass_ax.set_xticks(x, labels)
    for ax in (beta_ax, pass_ax):
        ax.set_xlabel(_title(x_axis))
        if x_axis == TEMPERATURE:
            ax.axvline(T_CRITICAL, color="grey", ls=":", lw=0.8, label="T_c (Onsager)")
    beta_ax.set_ylabel("beta, mean over seeds (bars: 95 % CI)")
    pass_ax.set_ylabel("share of seeds with CSN p >= 0.1")
    pass_ax.set_ylim(-0.05, 1.05)
    pass_ax.legend(frameon=False, fontsize="small")
