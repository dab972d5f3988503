"""Rule `sweep_figure`: beta with its confidence band and the pass rate along a sweep."""

from scaleinv.plots import draw_sweep
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    draw_sweep(
        snakemake.input[0],
        snakemake.params.axes,
        snakemake.params.settings,
        snakemake.output.pdf,
        snakemake.output.png,
    )
