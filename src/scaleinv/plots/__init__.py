"""Figures from the Parquet tables (never from models); which function draws which figure
is in the figure catalog, `scaleinv.figures.FIGURES`."""

from importlib import import_module

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import polars as pl  # noqa: E402

from scaleinv.atomic import atomic_path  # noqa: E402
from scaleinv.figures import FIGURES  # noqa: E402
from scaleinv.tables import EMBEDDING_COLUMNS, GROUP, read_frame  # noqa: E402


def draw(name, table_paths, settings, experiments, pdf_path, png_path, embedding_path=None):
    """Draw figure `name` from its input tables with the given style settings.

    experiments: {experiment id: Experiment.as_params()} of the experiments drawn, for
    facts the tables do not hold (an Ising experiment's temperature)."""
    tables = pl.concat([read_frame(path, GROUP) for path in table_paths], how="diagonal")
    extra = {"embedding": read_frame(embedding_path, EMBEDDING_COLUMNS)} if embedding_path else {}
    module, function = FIGURES[name].draw.split(":")
    draw_figure = getattr(import_module(f"scaleinv.plots.{module}"), function)
    style = {
        "font.size": settings["font_size"],
        "lines.linewidth": settings["line_width"],
        "image.cmap": settings["colormap"],
    }
    with plt.rc_context(style):
        figure = plt.figure(figsize=(settings["width"], settings["height"]), layout="constrained")
        draw_figure(figure, tables, settings, experiments, **extra)
        # No creation date in the PDF, so the same tables give the same bytes.
        with atomic_path(pdf_path) as tmp:
            figure.savefig(tmp, format="pdf", metadata={"CreationDate": None})
        with atomic_path(png_path) as tmp:
            figure.savefig(tmp, format="png", dpi=settings["dpi"])
        plt.close(figure)
