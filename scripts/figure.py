"""Figure rules: draw one figure from its tables, as PDF and PNG."""

from scaleinv.plots import draw
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    draw(
        snakemake.params.figure,
        snakemake.input.tables,
        snakemake.params.settings,
        snakemake.params.experiments,
        snakemake.output.pdf,
        snakemake.output.png,
        {
            name: snakemake.input[name]
            for name in ("embedding", "fits")
            if name in snakemake.input.keys()
        },
    )
