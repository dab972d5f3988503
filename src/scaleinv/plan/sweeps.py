"""Sweeps (config `sweeps`): a base experiment varied along axes. Every point of the grid
is an ordinary experiment whose id names the sweep and its values, sweep.axis=value
(mlp_width.width3=20, ae_relu.threshold=0.4.activation=relu; a sweep of list axes alone
has the one point `sweep`), so points run in parallel, one job each locally or on
SLURM, and rerun incrementally. Two axes are not grid dimensions but lists every point
runs: `seed` (replicates, aggregated over in the sweep table) and `temperature` (Ising
experiments expand to one id per temperature anyway).

A point shares the training of any experiment with the same training settings
(`experiments.training_identity`), so an axis that only changes how codes are made
(threshold, the RBM's code) reruns code extraction and what follows, never training.
"""

import copy
import itertools
import math
import re
from dataclasses import dataclass

from scaleinv.inputs import shown
from scaleinv.plan.kinds import KINDS


def _set(key):
    def set_value(settings, value):
        settings[key] = value

    return set_value


def _set_threshold(settings, value):
    settings["binarization"] = {**settings["binarization"], "threshold": value}


def _set_epochs(settings, value):
    """Keep the earlier snapshots (the untrained network, say) and code the last epoch."""
    settings["snapshots"] = sorted({s for s in settings["snapshots"] if s < value} | {value})
    settings["epochs"] = value


def _set_width(index):
    def set_width(settings, value):
        settings["widths"] = [*settings["widths"][:index], value, *settings["widths"][index + 1 :]]

    return set_width


@dataclass(frozen=True)
class Axis:
    key: str  # the experiment setting it changes (its kind must read it)
    apply: object  # apply(settings, value) sets the value in a copy of the base's settings
    title: str = ""  # what a figure's axis says
    grid: bool = True  # False: its values are one list setting of every point
    index: int | None = None  # width<i>: the 0-based index into widths
    schema: tuple = ()  # where the schema's $defs.experiment checks one value; () - its key

    @property
    def schema_path(self):
        return self.schema or ("properties", self.key)


AXES = {  # name in the config -> Axis
    "seed": Axis("seeds", _set("seeds"), "seed", grid=False),  # replicates, aggregated over
    "temperature": Axis(
        "temperatures", _set("temperatures"), "temperature T [J/k_B]", grid=False
    ),  # the Ising temperatures
    "widths": Axis("widths", _set("widths"), "hidden widths [units]"),  # the whole list
    "threshold": Axis(
        "binarization",
        _set_threshold,
        "binarization threshold (sigmoid)",
        schema=("properties", "binarization", "properties", "threshold"),
    ),
    "activation": Axis("activation", _set("activation"), "activation"),
    "n_train": Axis("n_train", _set("n_train"), "training samples M"),  # seeded subsample
    "epochs": Axis("epochs", _set_epochs, "epochs"),
    "lr": Axis("lr", _set("lr"), "learning rate"),
    "code": Axis("code", _set("code"), "RBM code definition"),
}
WIDTH = re.compile(r"^width([1-9][0-9]*)$")  # width3: the third hidden width alone


def axis_named(name):
    """The Axis of an `axes` entry, or None when there is no such axis."""
    match = WIDTH.match(name)
    if match:
        index = int(match[1]) - 1
        title = f"width of z{index + 1} [units]"
        schema = ("properties", "widths", "items")
        return Axis("widths", _set_width(index), title, index=index, schema=schema)
    return AXES.get(name)


TEMPERATURE = "T"  # the sweep tables' column of an Ising point's temperature


def axis_of_column(column):
    """The Axis whose values a sweep table's `column` holds, or None."""
    return axis_named("temperature" if column == TEMPERATURE else column)


def axis_errors(key, name, values, base):
    """Why axis `name` cannot vary experiment settings `base` (none: it can)."""
    axis = axis_named(name)
    if axis is None:
        return [
            f"{key} has unknown axis {name!r}; allowed: {', '.join(AXES)}, or width<i> for the "
            "i-th hidden width (1-based)"
        ]
    kind = KINDS[base["kind"]]
    if axis.key not in kind.config_keys:
        return [f"{key}.{name}: kind {kind.name} has no setting {axis.key} to sweep"]
    if axis.index is not None and axis.index >= len(base["widths"]):
        return [f"{key}.{name}: the base has {len(base['widths'])} widths (got {name})"]
    if not axis.grid:
        return []  # one list setting, checked as the experiment's
    ids = {}
    for i, value in enumerate(values):  # compared as ids write them: 0.3, 0.3000001 -> 0.3
        first = ids.setdefault(label(value), i)
        if first != i:
            return [
                f"{key}.{name} must not repeat a value: {shown(values[first])} and {shown(value)} "
                f"give the same point id {name}={label(value)} (ids keep 6 significant digits)"
            ]
    return []


def grid_size(axes):
    """(points, "5 x 4 for threshold, width2") of a sweep's `axes`, without making them."""
    grid = sorted(axis for axis in axes if axis_named(axis) is None or axis_named(axis).grid)
    sizes = [len(axes[axis]) for axis in grid]
    shape = " x ".join(map(str, sizes)) + f" for {', '.join(grid)}" if grid else "no grid axis"
    return math.prod(sizes), shape


def label(value):
    """A value as it appears in a point id: 0.4, relu, 20, 16-8-16 for a widths list."""
    if isinstance(value, list):
        return "-".join(map(label, value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def sweep_points(name, sweep, experiments):
    """{point id: (settings, {axis: value})} of one sweep over `experiments` (the config's,
    defaults filled). Grid axes multiply in name order, so an id does not depend on the
    order the axes are written in; list axes set every point."""
    base = experiments[sweep["base"]]
    grid = sorted(axis for axis in sweep["axes"] if axis_named(axis).grid)
    points = {}
    for values in itertools.product(*(sweep["axes"][axis] for axis in grid)):
        settings = copy.deepcopy(base)
        for axis, axis_values in sweep["axes"].items():
            if not axis_named(axis).grid:
                axis_named(axis).apply(settings, axis_values)
        point = dict(zip(grid, values, strict=True))
        for axis, value in point.items():
            axis_named(axis).apply(settings, value)
        id = ".".join([name, *(f"{axis}={label(v)}" for axis, v in point.items())])
        points[id] = (settings, point)
    return points


def robustness_sweeps(config):
    """The sweeps claim C6 (robust to threshold, ReLU, width, ...) rests on: every sweep but
    those of Ising experiments, whose verdict is meant to change with T (claim C5)."""
    return sorted(
        name
        for name, spec in config["sweeps"].items()
        if not KINDS[config["experiments"][spec["base"]]["kind"]].on_ising
    )


def point_values(experiments, sweep):
    """(point id, {axis: value}) of every point of `sweep` among the expanded `experiments`,
    with TEMPERATURE as an axis where the points are Ising experiments (one id per T)."""
    return [
        (e.id, {**e.point, **({TEMPERATURE: e.temperature} if e.temperature else {})})
        for e in experiments.values()
        if e.sweep == sweep
    ]


def figure_axes(experiments, sweep):
    """A sweep's axes as its figure draws them: T first (the x axis) for Ising points, then
    the grid axes; ["point"] for a sweep of list axes alone."""
    values = point_values(experiments, sweep)[0][1]
    return sorted(values, key=lambda axis: axis != TEMPERATURE) or ["point"]
