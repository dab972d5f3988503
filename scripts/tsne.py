"""Rule `tsne`: t-SNE embeddings for Fig. 2b/2c."""

from scaleinv.analysis.tsne import write_tsne_panels
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_tsne_panels(
        settings=snakemake.params.settings,
        dataset_path=snakemake.input.dataset,
        codes_path=snakemake.input.codes,
        clusters_path=snakemake.input.clusters,
        out_path=snakemake.output[0],
    )
