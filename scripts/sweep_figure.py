"""Rule `sweep_figure`: beta with its confidence band and the pass rate along a sweep."""

from scaleinv.plots import draw_sweep
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    draw_sweep(
        table_path=snakemake.input[0],
        axes_names=snakemake.params.axes,
        settings=snakemake.params.settings,
        pdf_path=snakemake.output.pdf,
        png_path=snakemake.output.png,
    )
