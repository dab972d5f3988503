"""The figure catalog: the table each figure reads per experiment and the function in
`scaleinv.plots` that draws it. A figure's config entry (which experiments, its size) and
its defaults are in the schema under `figures`; its report caption is
`workflow/report/{name}.rst`. Plain data (no matplotlib), so the rules can read it while
Snakemake parses the workflow.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    table: str  # results/{table}/{experiment}.parquet, for each experiment drawn
    draw: str  # "module:function" under scaleinv.plots
    embedding: bool = False  # also reads the t-SNE embedding its `embedding` key names
    fits: bool = False  # also reads the fits table of each experiment drawn


FIGURES = {
    "fig1": Figure("degeneracy", "degeneracy_figures:hidden_layers"),
    "fig2": Figure("degeneracy", "degeneracy_figures:fig2", embedding=True),
    "fig3": Figure("degeneracy", "degeneracy_figures:hidden_layers"),
    "fig4": Figure("degeneracy", "degeneracy_figures:fig4"),
    "fig5": Figure("degeneracy", "degeneracy_figures:fig5"),
    "ccdf": Figure("degeneracy", "ccdf_figures:ccdf", fits=True),
    "fits": Figure("fits", "statistics_figures:fits"),
    "relevance_resolution": Figure("information", "statistics_figures:relevance_resolution"),
    "info_plane": Figure("information", "statistics_figures:info_plane"),
}
