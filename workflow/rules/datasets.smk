# Image datasets from verified original files: mirrors, then cache, then URLs.


rule dataset:
    output:
        paths.DATASET,
    log:
        "results/logs/data/{dataset}.log",
    benchmark:
        "results/benchmarks/data/{dataset}.tsv"
    conda:
        "../../envs/torch.yaml"
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        recipe=job(targets.dataset_recipe, config),
        sources=dataset_sources,
    script:
        "../../scripts/dataset.py"
