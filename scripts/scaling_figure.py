"""Rule `scaling_figure`: the scaling figure of one experiment from its scaling tables."""

from scaleinv.plots import draw_scaling
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    draw_scaling(
        table_path=snakemake.input.table,
        degeneracy_path=snakemake.input.degeneracy,
        pairs_path=snakemake.input.pairs,
        settings=snakemake.params.settings,
        pdf_path=snakemake.output.pdf,
        png_path=snakemake.output.png,
    )
