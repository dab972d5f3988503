# Training: one rule per experiment (its snapshot epochs fix its outputs), any seed.

for experiment in EXPERIMENTS.values():
    if experiment.kind == "kmeans":
        continue

    rule:
        name:
            rule_name("train", experiment)
        input:
            dataset=f"results/data/{experiment.dataset}.npz",
        output:
            snapshots=expand(
                "results/train/{experiment}/seed{{seed}}/epoch{epoch}.pt",
                experiment=experiment.id,
                epoch=experiment.snapshots,
            ),
            metrics=f"results/train/{experiment.id}/seed{{seed}}/metrics.parquet",
        log:
            f"results/logs/train/{experiment.id}/seed{{seed}}.log",
        benchmark:
            f"results/benchmarks/train/{experiment.id}/seed{{seed}}.tsv"
        conda:
            "../../envs/torch.yaml"
        threads: 2
        resources:
            **cluster_request(mem_mb=4000, runtime=120),
            gpu=0 if experiment.settings["device"] == "cpu" else 1,
        params:
            experiment=experiment.as_params(),
        script:
            "../../scripts/train.py"
