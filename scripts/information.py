"""Rule `information`: resolution, relevance and I(Z;Y) per layer of one experiment."""

from scaleinv.analysis.information import write_information
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_information(
        snakemake.input.degeneracy,
        snakemake.params.sources,
        snakemake.params.seed,
        snakemake.output[0],
    )
