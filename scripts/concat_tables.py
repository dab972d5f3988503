"""Concatenate Parquet tables of one schema into one table, with a TSV copy for the report."""

from scaleinv.rulelog import rule_log
from scaleinv.tables import concat_tables

with rule_log(snakemake.log[0]):
    concat_tables(paths=snakemake.input, path=snakemake.output.table, tsv_path=snakemake.output.tsv)
