"""The figure catalog: every figure the workflow draws, one entry each: the table it reads,
the function in `scaleinv.plots` that draws it, and its size in inches. Most figures draw
the experiments their config entry names (`figures.{name}` in the schema, whose default
size a test holds to the catalog's); a figure drawn `per` sweep or scaled experiment is
one file per such (results/figures/{name}_{id}). Its report caption is
`workflow/report/{name}.rst`, `{name}_figure.rst` for a figure drawn per sweep or
experiment. Plain data (no matplotlib), so the rules can read it while Snakemake parses
the workflow.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    table: str  # results/{table}/{experiment}.parquet, for each experiment drawn
    draw: str  # "module:function" under scaleinv.plots
    width: float  # inches; a configured figure's default (its config entry may change it)
    height: float
    embedding: bool = False  # also reads the t-SNE embedding its `embedding` key names
    fits: bool = False  # also reads the fits table of each experiment drawn
    per: str | None = None  # None: the experiments its config entry names; "sweep" or
    # "experiment": one figure per sweep (its table) or scaled experiment (its tables)


FIGURES = {
    "fig1": Figure("degeneracy", "degeneracy_figures:hidden_layers", 10, 3.2),
    "fig2": Figure("degeneracy", "degeneracy_figures:fig2", 10, 3.2, embedding=True),
    "fig3": Figure("degeneracy", "degeneracy_figures:hidden_layers", 4, 3.2),
    "fig4": Figure("degeneracy", "degeneracy_figures:fig4", 10, 3.2),
    "fig5": Figure("degeneracy", "degeneracy_figures:fig5", 7, 3.2),
    "ccdf": Figure("degeneracy", "ccdf_figures:ccdf", 10, 9, fits=True),
    "fits": Figure("fits", "statistics_figures:fits", 10, 4),
    "relevance_resolution": Figure(
        "information", "statistics_figures:relevance_resolution", 7, 4.5
    ),
    "info_plane": Figure("information", "statistics_figures:info_plane", 7, 3.2),
    "sweep": Figure("sweeps", "sweep_figures:sweep", 9, 3.5, per="sweep"),
    "scaling": Figure("scaling", "scaling_figures:scaling", 13.5, 2.6, per="experiment"),
}
# The figures a config entry selects experiments for (figures.{name}).
CONFIGURED = {name: figure for name, figure in FIGURES.items() if figure.per is None}


def size(name):
    """A figure's catalogued size, as its settings take it."""
    return {"width": FIGURES[name].width, "height": FIGURES[name].height}
