"""Rule `sweep_table`: the fits and information of every point of one sweep, across seeds."""

from scaleinv.analysis.sweep_table import write_sweep_table
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_sweep_table(
        points=snakemake.params.points,
        table_path=snakemake.output.table,
        summary_path=snakemake.output.summary,
    )
