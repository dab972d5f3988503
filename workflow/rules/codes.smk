# Binary codes in the codes Parquet contract: one rule per way of making them (the kind
# registry says which rule an experiment's kind uses).


# A trained network's codes: one rule per experiment and block of seeds (its training's
# blocks), writing every snapshot of those seeds in one process (torch starts once).
for experiment, block, seeds in network_code_jobs(EXPERIMENTS):

    rule:
        name:
            rule_name("codes", experiment) + (f"_block{block}" if block else "")
        input:
            dataset=DATASET.format(dataset=experiment.dataset),
            snapshots=[
                SNAPSHOT.format(experiment=experiment.train_id, seed=seed, epoch=epoch)
                for seed, epoch in snapshot_keys(experiment, seeds)
            ],
        output:
            [
                CODES.format(experiment=experiment.id, seed=seed, epoch=epoch)
                for seed, epoch in snapshot_keys(experiment, seeds)
            ],
        log:
            f"results/logs/codes/{experiment.id}/block{block}.log",
        benchmark:
            f"results/benchmarks/codes/{experiment.id}/block{block}.tsv"
        conda:
            "../../envs/torch.yaml"
        # one thread: a forward pass over the data set is a second, the rest is start-up, so
        # two code jobs side by side finish sooner than one job on two threads
        threads: 1
        resources:
            mem_mb=4000,
            runtime=30,
        params:
            experiment=experiment.seed_params(),
            snapshots=snapshot_keys(experiment, seeds),
        script:
            "../../scripts/network_codes.py"


rule kmeans_codes:
    input:
        dataset=get_dataset,
    output:
        expand(CODES, epoch=0, allow_missing=True),
    log:
        "results/logs/codes/{experiment}/seed{seed}/epoch0.log",
    benchmark:
        "results/benchmarks/codes/{experiment}/seed{seed}/epoch0.tsv"
    wildcard_constraints:
        experiment=experiments_made_by("kmeans_codes"),
    conda:
        "../../envs/analysis.yaml"
    threads: 2
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        experiment=get_experiment,
    script:
        "../../scripts/kmeans_codes.py"


rule external_codes:
    input:
        get_external_source,
    output:
        expand(CODES, epoch=0, allow_missing=True),
    log:
        "results/logs/codes/{experiment}/seed{seed}/epoch0.log",
    wildcard_constraints:
        experiment=experiments_made_by("external_codes"),
    conda:
        "../../envs/analysis.yaml"
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        experiment=get_experiment,
        digest=get_external_digest,
    script:
        "../../scripts/external_codes.py"


# Null codes matched to a target experiment's layers (docs/null-codes.md): each reads the
# target's codes of the same seed, and the shuffled-input null its trained network too.


rule projection_codes:
    input:
        unpack(get_target_files),
        dataset=get_dataset,
    output:
        expand(CODES, epoch=0, allow_missing=True),
    log:
        "results/logs/codes/{experiment}/seed{seed}/epoch0.log",
    benchmark:
        "results/benchmarks/codes/{experiment}/seed{seed}/epoch0.tsv"
    wildcard_constraints:
        experiment=experiments_made_by("projection_codes"),
    conda:
        "../../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        experiment=get_experiment,
        target=get_target,
    script:
        "../../scripts/projection_codes.py"


rule matched_kmeans_codes:
    input:
        unpack(get_target_files),
        dataset=get_dataset,
    output:
        expand(CODES, epoch=0, allow_missing=True),
    log:
        "results/logs/codes/{experiment}/seed{seed}/epoch0.log",
    benchmark:
        "results/benchmarks/codes/{experiment}/seed{seed}/epoch0.tsv"
    wildcard_constraints:
        experiment=experiments_made_by("matched_kmeans_codes"),
    conda:
        "../../envs/analysis.yaml"
    threads: 2
    resources:
        mem_mb=2000,
        runtime=120,
    params:
        experiment=get_experiment,
        target=get_target,
    script:
        "../../scripts/matched_kmeans_codes.py"


rule shuffled_codes:
    input:
        unpack(get_target_files),
        dataset=get_dataset,
    output:
        expand(CODES, epoch=0, allow_missing=True),
    log:
        "results/logs/codes/{experiment}/seed{seed}/epoch0.log",
    benchmark:
        "results/benchmarks/codes/{experiment}/seed{seed}/epoch0.tsv"
    wildcard_constraints:
        experiment=experiments_made_by("shuffled_codes"),
    conda:
        "../../envs/torch.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        experiment=get_experiment,
        target=get_target,
    script:
        "../../scripts/shuffled_codes.py"
