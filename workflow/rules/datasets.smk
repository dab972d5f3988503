# Image datasets from verified original files: mirrors, then cache, then URLs.


rule dataset:
    output:
        "results/data/{dataset}.npz",
    log:
        "results/logs/data/{dataset}.log",
    benchmark:
        "results/benchmarks/data/{dataset}.tsv"
    params:
        recipe=dataset_recipe,
    conda:
        "../../envs/torch.yaml"
    script:
        "../../scripts/dataset.py"
