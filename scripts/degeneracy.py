"""Rule `degeneracy`: m(k) per (seed, epoch, layer, split) of one experiment."""

from scaleinv.degeneracy import degeneracy, scan_codes
from scaleinv.rulelog import rule_log
from scaleinv.tables import write_table

with rule_log(snakemake.log[0]):
    write_table(degeneracy(scan_codes(snakemake.params.sources)).to_arrow(), snakemake.output[0])
