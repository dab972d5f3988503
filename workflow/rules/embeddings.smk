# 2-D t-SNE embeddings of a network's codes and of the pixels (Fig. 2b, 2c).


rule tsne:
    input:
        unpack(get_tsne_inputs),
    output:
        EMBEDDING,
    log:
        "results/logs/embeddings/{experiment}.log",
    benchmark:
        "results/benchmarks/embeddings/{experiment}.tsv"
    conda:
        "../../envs/analysis.yaml"
    threads: 2
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        settings=get_tsne_settings,
    script:
        "../../scripts/tsne.py"
