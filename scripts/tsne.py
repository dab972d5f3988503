"""Rule `tsne`: t-SNE embeddings for Fig. 2b/2c."""

from scaleinv.analysis.tsne import write_tsne_panels
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_tsne_panels(
        snakemake.params.settings,
        snakemake.input.dataset,
        snakemake.input.codes,
        snakemake.input.clusters,
        snakemake.output[0],
    )
