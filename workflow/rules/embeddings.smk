# 2-D t-SNE embeddings of a network's codes and of the pixels (Fig. 2b, 2c).


rule tsne:
    input:
        unpack(job(targets.tsne_inputs, config, EXPERIMENTS)),
    output:
        paths.EMBEDDING,
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
        settings=job(targets.tsne_settings, config),
    script:
        "../../scripts/tsne.py"
