"""Rule `fits_summary`: every experiment's fits as one tab-separated table for the report."""

from scaleinv.analysis.fits import write_summary
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_summary(paths=snakemake.input, out_path=snakemake.output[0])
