"""Rule `fits`: CSN power-law fits of every layer's cluster sizes of one experiment."""

from scaleinv.analysis.fits import write_fits
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_fits(
        snakemake.input[0],
        snakemake.params.settings,
        snakemake.params.code,
        snakemake.threads,
        snakemake.output[0],
    )
