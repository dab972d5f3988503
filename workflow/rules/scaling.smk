# Subsampled scaling (docs/scaling.md): one trained network's inputs subsampled to each M of
# scaling.sizes, every subsample fitted and classified; Heaps' law against the tail per layer.


rule scaling:
    input:
        job(targets.scaling_codes, config, EXPERIMENTS, paths=True),
    output:
        table=paths.scaling("parquet"),
        degeneracy=paths.scaling("degeneracy.parquet"),
        pairs=paths.scaling("pairs.parquet"),
        summary=report(
            paths.scaling("tsv"),
            caption="../report/scaling_table.rst",
            category="Scaling",
            labels={"experiment": "{experiment}", "table": "scaling per layer"},
        ),
    log:
        "results/logs/scaling/{experiment}.log",
    benchmark:
        "results/benchmarks/scaling/{experiment}.tsv"
    wildcard_constraints:
        experiment=targets.one_of(SCALED),
    conda:
        "../../envs/analysis.yaml"
    # one: the bootstraps hold the GIL, so a second thread saved 2 % and kept a core idle
    # (docs/speed.md, "Design decisions")
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        sources=job(targets.scaling_codes, config, EXPERIMENTS),
        settings=targets.scaling_settings(config),
        code=job(targets.code_definition, EXPERIMENTS),
        facts=job(row_facts, config, EXPERIMENTS),
    script:
        "../../scripts/scaling.py"


rule scaling_figure:
    input:
        table=paths.scaling("parquet"),
        degeneracy=paths.scaling("degeneracy.parquet"),
        pairs=paths.scaling("pairs.parquet"),
    output:
        pdf=paths.figure("scaling_{experiment}", "pdf"),
        png=report(
            paths.figure("scaling_{experiment}", "png"),
            caption="../report/scaling_figure.rst",
            category="Scaling",
            labels={
                "experiment": "{experiment}",
                "figure": "K(M), beta(M), p, CCDFs, (h, beta) test",
            },
        ),
    log:
        "results/logs/figures/scaling_{experiment}.log",
    wildcard_constraints:
        experiment=targets.one_of(SCALED),
    localrule: True
    conda:
        "../../envs/analysis.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        settings=targets.figure_settings(config, "scaling"),
    script:
        "../../scripts/scaling_figure.py"
