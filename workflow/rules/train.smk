# Training: one rule per distinct training (its snapshot epochs fix its outputs) and block
# of seeds trained together. Experiments and sweep points with the same training settings
# share it (train_id); see scaleinv.plan.experiments.training_jobs.

for experiment, block, seeds in training_jobs(EXPERIMENTS):

    rule:
        name:
            rule_name("train", experiment, block)
        input:
            dataset=paths.dataset(experiment.dataset),
        output:
            **targets.training_outputs(experiment, seeds),
        log:
            f"results/logs/train/{experiment.id}/block{block}.log",
        benchmark:
            f"results/benchmarks/train/{experiment.id}/block{block}.tsv"
        conda:
            "../../envs/torch.yaml"
        # one thread: these networks are too small for a second one (measured: mlp and rbm
        # epochs as fast on one, ae 7 % and cnn_ae 15 % slower), so two jobs run side by
        # side, and a network's rounding does not depend on the cores a job was given
        threads: 1
        resources:
            mem_mb=4000,
            runtime=120,
            gpu=0 if experiment.settings["device"] == "cpu" else 1,
        params:
            experiment=experiment.training_params(),
            seeds=list(seeds),
        script:
            "../../scripts/train.py"


rule metrics_summary:
    input:
        [path for *_, path in METRICS_FILES],
    output:
        report(
            paths.METRICS_SUMMARY,
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
        mem_mb=1000,
        runtime=10,
    params:
        sources=METRICS_FILES,
    script:
        "../../scripts/metrics_summary.py"
