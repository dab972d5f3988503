# Image datasets from verified original files: mirrors, then cache, then URLs.


rule dataset:
    output:
        DATASET,
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
        recipe=dataset_recipe,
        sources=dataset_sources,
    script:
        "../../scripts/dataset.py"
