# Binary codes of every layer of every snapshot, in the codes Parquet contract.


rule codes:
    input:
        dataset=dataset_of_experiment,
        snapshot="results/train/{experiment}/seed{seed}/epoch{epoch}.pt",
    output:
        "results/codes/{experiment}/seed{seed}/epoch{epoch}.parquet",
    log:
        "results/logs/codes/{experiment}/seed{seed}/epoch{epoch}.log",
    benchmark:
        "results/benchmarks/codes/{experiment}/seed{seed}/epoch{epoch}.tsv"
    wildcard_constraints:
        experiment="|".join(e.id for e in EXPERIMENTS.values() if e.kind != "kmeans"),
    conda:
        "../../envs/torch.yaml"
    threads: 2
    resources:
        **cluster_request(mem_mb=4000, runtime=30),
    params:
        experiment=lambda w: EXPERIMENTS[w.experiment].as_params(),
    script:
        "../../scripts/codes.py"


rule kmeans_codes:
    input:
        dataset=dataset_of_experiment,
    output:
        "results/codes/{experiment}/seed{seed}/epoch0.parquet",
    log:
        "results/logs/codes/{experiment}/seed{seed}/epoch0.log",
    benchmark:
        "results/benchmarks/codes/{experiment}/seed{seed}/epoch0.tsv"
    wildcard_constraints:
        experiment="|".join(e.id for e in EXPERIMENTS.values() if e.kind == "kmeans"),
    conda:
        "../../envs/analysis.yaml"
    threads: 2
    resources:
        **cluster_request(mem_mb=2000, runtime=60),
    params:
        experiment=lambda w: EXPERIMENTS[w.experiment].as_params(),
    script:
        "../../scripts/kmeans_codes.py"
