# Training: one rule per distinct training (its snapshot epochs fix its outputs), any seed.
# Experiments and sweep points with the same training settings share it (train_id).

for experiment in trainers():

    rule:
        name:
            rule_name("train", experiment)
        input:
            dataset=DATASET.format(dataset=experiment.dataset),
        output:
            snapshots=expand(
                SNAPSHOT,
                experiment=experiment.id,
                epoch=experiment.snapshots,
                allow_missing=True,
            ),
            metrics=expand(METRICS, experiment=experiment.id, allow_missing=True)[0],
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


rule metrics_summary:
    input:
        get_metrics,
    output:
        report(
            "results/train/metrics.tsv",
            caption="../report/metrics.rst",
            category="Tables",
            labels={"table": "training metrics"},
        ),
    log:
        "results/logs/train/metrics.log",
    localrule: True
    conda:
        "../../envs/analysis.yaml"
    resources:
        **cluster_request(mem_mb=1000, runtime=10),
    params:
        sources=get_metrics_sources,
    script:
        "../../scripts/metrics_summary.py"
