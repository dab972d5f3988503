"""Figure rules: draw one figure from its tables, as PDF and PNG."""

from scaleinv.plots import draw
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    draw(
        name=snakemake.params.figure,
        table_paths=snakemake.input.tables,
        settings=snakemake.params.settings,
        experiments=snakemake.params.experiments,
        pdf_path=snakemake.output.pdf,
        png_path=snakemake.output.png,
        extra_paths={
            name: snakemake.input[name]
            for name in ("embedding", "fits")
            if name in snakemake.input.keys()
        },
    )
