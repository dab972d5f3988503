# Binary codes in the codes Parquet contract: one rule per way of making them (the kind
# registry says which rule an experiment's kind uses).


# A trained network's codes: one rule per experiment and block of seeds (its training's
# blocks), writing every snapshot of those seeds in one process (torch starts once).
for experiment, block, seeds in network_code_jobs(EXPERIMENTS):

    rule:
        name:
            rule_name("codes", experiment, block)
        input:
            **targets.network_codes_inputs(experiment, seeds),
        output:
            targets.network_codes_outputs(experiment, seeds),
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
        dataset=job(targets.dataset_file, EXPERIMENTS),
    output:
        paths.codes("{experiment}", "{seed}", 0),
    log:
        "results/logs/codes/{experiment}/seed{seed}/epoch0.log",
    benchmark:
        "results/benchmarks/codes/{experiment}/seed{seed}/epoch0.tsv"
    wildcard_constraints:
        experiment=targets.experiments_made_by(EXPERIMENTS, "kmeans_codes"),
    conda:
        "../../envs/analysis.yaml"
    threads: 2
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        experiment=job(targets.seed_params, EXPERIMENTS),
    script:
        "../../scripts/kmeans_codes.py"


rule external_codes:
    input:
        job(targets.external_source, EXPERIMENTS),
    output:
        paths.codes("{experiment}", "{seed}", 0),
    log:
        "results/logs/codes/{experiment}/seed{seed}/epoch0.log",
    wildcard_constraints:
        experiment=targets.experiments_made_by(EXPERIMENTS, "external_codes"),
    conda:
        "../../envs/analysis.yaml"
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        experiment=job(targets.seed_params, EXPERIMENTS),
        digest=job(targets.external_digest, EXPERIMENTS),
    script:
        "../../scripts/external_codes.py"


# Null codes matched to a target experiment's layers (docs/null-codes.md), one rule per
# entry of scaleinv.plan.kinds.MATCHED_NULL_RULES: each reads the target's codes of the
# same seed, and a null that runs the target's trained network its snapshot too.
for null in MATCHED_NULL_RULES:

    rule:
        name:
            null.name
        input:
            unpack(job(targets.target_files, EXPERIMENTS)),
            dataset=job(targets.dataset_file, EXPERIMENTS),
        output:
            paths.codes("{experiment}", "{seed}", 0),
        log:
            "results/logs/codes/{experiment}/seed{seed}/epoch0.log",
        benchmark:
            "results/benchmarks/codes/{experiment}/seed{seed}/epoch0.tsv"
        wildcard_constraints:
            experiment=targets.experiments_made_by(EXPERIMENTS, null.name),
        conda:
            f"../../envs/{null.env}.yaml"
        threads: null.threads
        resources:
            mem_mb=null.mem_mb,
            runtime=null.runtime,
        params:
            experiment=job(targets.seed_params, EXPERIMENTS),
            target=job(targets.target_params, EXPERIMENTS),
            # read at run time, after the loop has moved on: a param carries it
            writer=derived(null.writer),
        script:
            "../../scripts/matched_null_codes.py"
