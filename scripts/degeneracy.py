"""Rule `degeneracy`: m(k) per (seed, epoch, layer, split) of one experiment."""

from scaleinv.analysis.degeneracy import write_degeneracy
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_degeneracy(sources=snakemake.params.sources, path=snakemake.output[0])
