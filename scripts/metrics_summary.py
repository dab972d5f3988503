"""Rule `metrics_summary`: every experiment's training metrics as one TSV for the report."""

from scaleinv.rulelog import rule_log
from scaleinv.tables import write_metrics_summary

with rule_log(snakemake.log[0]):
    write_metrics_summary(sources=snakemake.params.sources, path=snakemake.output[0])
