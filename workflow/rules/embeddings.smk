# 2-D t-SNE embeddings of a network's codes and of the pixels (Fig. 2b, 2c).


rule tsne:
    input:
        unpack(tsne_inputs),
    output:
        "results/embeddings/{experiment}.parquet",
    log:
        "results/logs/embeddings/{experiment}.log",
    benchmark:
        "results/benchmarks/embeddings/{experiment}.tsv"
    conda:
        "../../envs/analysis.yaml"
    threads: 2
    resources:
        **cluster_request(mem_mb=2000, runtime=60),
    params:
        settings=lambda w: canonical(config["experiments"][w.experiment]),
        seed=lambda w: config["experiments"][w.experiment]["seeds"][0],
    script:
        "../../scripts/tsne.py"
