"""Rule `relevance`: each network layer's relevance H(K) beside its matched nulls."""

from scaleinv.analysis.relevance import write_relevance
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_relevance(
        information_paths=snakemake.input,
        nulls=snakemake.params.nulls,
        path=snakemake.output[0],
    )
