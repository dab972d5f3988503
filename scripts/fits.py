"""Rule `fits`: CSN power-law fits of every layer's cluster sizes of one experiment."""

import polars as pl

from scaleinv.fits import fits_table
from scaleinv.rulelog import rule_log
from scaleinv.tables import write_table

with rule_log(snakemake.log[0]):
    table = fits_table(
        pl.read_parquet(snakemake.input[0]), snakemake.params.settings, snakemake.threads
    )
    write_table(table.to_arrow(), snakemake.output[0])
