"""Figures from the Parquet tables (never from models); which function draws which figure
is in the figure catalog, `scaleinv.plan.figures.FIGURES`.

May import: the foundation, `datasets`, `ising`, `stats`, `codes`, `plan`, `analysis`.
"""

from importlib import import_module

import matplotlib
import polars as pl
from matplotlib.figure import Figure

from scaleinv.atomic import atomic_path
from scaleinv.plan.figures import FIGURES
from scaleinv.tables import EMBEDDING_COLUMNS, GROUP, read_frame


def _stack(paths):
    return pl.concat([read_frame(path, GROUP) for path in paths], how="diagonal")


def draw(name, table_paths, settings, experiments, pdf_path, png_path, extra_paths):
    """Draw figure `name` from its input tables with the given style settings.

    experiments: {experiment id: facts} of the experiments drawn, for what the tables do
    not hold (dataset, an Ising experiment's temperature); extra_paths: the embedding
    (one path) and fits tables where the catalog says the figure reads them."""
    extra = {}
    if "embedding" in extra_paths:
        extra["embedding"] = read_frame(extra_paths["embedding"], EMBEDDING_COLUMNS)
    if "fits" in extra_paths:
        extra["fits"] = _stack(extra_paths["fits"])
    draw_figure = drawing(name)
    save(lambda figure: draw_figure(figure, _stack(table_paths), settings, experiments, **extra),
         settings, pdf_path, png_path)  # fmt: skip


def draw_sweep(table_path, axes_names, settings, pdf_path, png_path):
    """The figure of one sweep (catalog entry `sweep`) from its table."""
    sweep = drawing("sweep")  # imported here: other figure jobs skip its scipy
    table = read_frame(table_path, ["point", "beta_mean"])
    save(lambda figure: sweep(figure, table, axes_names), settings, pdf_path, png_path)


def draw_scaling(table_path, degeneracy_path, settings, pdf_path, png_path, pairs_path=None):
    """The scaling figure of one experiment (catalog entry `scaling`) from its tables, with
    the occupancy pair test's draws (`pairs_path`) where given."""
    from scaleinv.analysis.scaling import DEGENERACY, PAIRS_SCHEMA, SUBSAMPLE  # figures skip scipy

    scaling = drawing("scaling")

    table = read_frame(table_path, [*SUBSAMPLE, "distinct", "beta", "p_value", "evidence"])
    degeneracy = read_frame(degeneracy_path, DEGENERACY)
    pairs = None if pairs_path is None else read_frame(pairs_path, list(PAIRS_SCHEMA))
    save(lambda figure: scaling(figure, table, degeneracy, pairs), settings, pdf_path, png_path)


def drawing(name):
    """The function that draws catalogued figure `name`: figure(matplotlib figure, table,
    ...) as its module documents."""
    module, function = FIGURES[name].draw.split(":")
    return getattr(import_module(f"scaleinv.plots.{module}"), function)


def save(draw_on, settings, pdf_path, png_path):
    """A figure of the configured size and style, drawn by draw_on(figure), as PDF and PNG."""
    style = {
        "font.size": settings["font_size"],
        "lines.linewidth": settings["line_width"],
        "image.cmap": settings["colormap"],
    }
    # A bare Figure, not pyplot's: no backend to choose, no window, nothing global to close.
    with matplotlib.rc_context(style):
        figure = Figure(figsize=(settings["width"], settings["height"]), layout="constrained")
        draw_on(figure)
        # No creation date in the PDF, so the same tables give the same bytes.
        with atomic_path(pdf_path) as tmp:
            figure.savefig(tmp, format="pdf", metadata={"CreationDate": None})
        with atomic_path(png_path) as tmp:
            figure.savefig(tmp, format="png", dpi=settings["dpi"])
