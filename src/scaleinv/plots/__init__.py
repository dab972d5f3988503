"""Figures from the Parquet tables (never from models): one function per figure name."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import polars as pl  # noqa: E402

from scaleinv.atomic import atomic_path  # noqa: E402
from scaleinv.plots import degeneracy_figures, statistics_figures  # noqa: E402

FIGURES = {
    "fig1": degeneracy_figures.hidden_layers,
    "fig2": degeneracy_figures.fig2,
    "fig3": degeneracy_figures.hidden_layers,
    "fig4": degeneracy_figures.fig4,
    "fig5": degeneracy_figures.fig5,
    "fits": statistics_figures.fits,
    "relevance_resolution": statistics_figures.relevance_resolution,
    "info_plane": statistics_figures.info_plane,
}


def draw(name, table_paths, settings, pdf_path, png_path, embedding_path=None):
    """Draw figure `name` from its input tables with the given style settings."""
    tables = pl.concat([pl.read_parquet(path) for path in table_paths], how="diagonal")
    extra = {"embedding": pl.read_parquet(embedding_path)} if embedding_path else {}
    style = {
        "font.size": settings["font_size"],
        "lines.linewidth": settings["line_width"],
        "image.cmap": settings["colormap"],
    }
    with plt.rc_context(style):
        figure = plt.figure(figsize=(settings["width"], settings["height"]), layout="constrained")
        FIGURES[name](figure, tables, settings, **extra)
        # No creation date in the PDF, so the same tables give the same bytes.
        with atomic_path(pdf_path) as tmp:
            figure.savefig(tmp, format="pdf", metadata={"CreationDate": None})
        with atomic_path(png_path) as tmp:
            figure.savefig(tmp, format="png", dpi=settings["dpi"])
        plt.close(figure)
