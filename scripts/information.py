"""Rule `information`: resolution, relevance and I(Z;Y) per layer of one experiment."""

import polars as pl

from scaleinv.degeneracy import scan_codes
from scaleinv.information import information_table
from scaleinv.rulelog import rule_log
from scaleinv.tables import write_table

with rule_log(snakemake.log[0]):
    table = information_table(
        pl.read_parquet(snakemake.input.degeneracy), scan_codes(snakemake.params.sources)
    )
    write_table(table.to_arrow(), snakemake.output[0])
