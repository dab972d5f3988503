"""Rule `dataset`: results/data/{dataset}.npz from verified original files."""

from scaleinv.datasets.build import write_image_dataset
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_image_dataset(
        dataset=snakemake.wildcards.dataset,
        recipe=snakemake.params.recipe,
        sources=snakemake.params.sources,
        path=snakemake.output[0],
    )
