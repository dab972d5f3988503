"""Rule `fits`: CSN power-law fits of every layer's cluster sizes of one experiment."""

from scaleinv.analysis.fits import write_fits
from scaleinv.rulelog import rule_log
from scaleinv.stats.layer import FitSettings

with rule_log(snakemake.log[0]):
    write_fits(
        snakemake.input[0],
        settings=FitSettings.from_config(snakemake.params.settings),
        code=snakemake.params.code,
        facts=snakemake.params.facts,
        threads=snakemake.threads,
        path=snakemake.output[0],
    )
