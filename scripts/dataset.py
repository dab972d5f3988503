"""Rule `dataset`: results/data/{dataset}.npz from verified original files."""

from scaleinv.atomic import save_npz
from scaleinv.datasets.build import build_dataset
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    dataset = snakemake.wildcards.dataset
    spec = {
        **snakemake.params.recipe,
        "urls": snakemake.config["datasets"].get(dataset, {}).get("urls", []),
    }
    save_npz(snakemake.output[0], build_dataset(dataset, spec, snakemake.config["data"]))
