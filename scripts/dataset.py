"""Rule `dataset`: results/data/{dataset}.npz from verified original files."""

from scaleinv.datasets.build import write_image_dataset
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_image_dataset(
        snakemake.wildcards.dataset,
        snakemake.params.recipe,
        snakemake.params.sources,
        snakemake.output[0],
    )
