"""Rule `information`: resolution, relevance and I(Z;Y) per layer of one experiment."""

from scaleinv.analysis.information import write_information
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_information(
        degeneracy_path=snakemake.input.degeneracy,
        sources=snakemake.params.sources,
        seed=snakemake.params.seed,
        path=snakemake.output[0],
    )
