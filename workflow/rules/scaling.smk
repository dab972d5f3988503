# Subsampled scaling (docs/scaling.md): one trained network's inputs subsampled to each M of
# scaling.sizes, every subsample fitted and classified; Heaps' law against the tail per layer.


rule scaling:
    input:
        get_scaling_codes,
    output:
        table=SCALING.format(experiment="{experiment}", ext="parquet"),
        degeneracy=SCALING.format(experiment="{experiment}", ext="degeneracy.parquet"),
        summary=report(
            SCALING.format(experiment="{experiment}", ext="tsv"),
            caption="../report/scaling_table.rst",
            category="Scaling",
            labels={"experiment": "{experiment}", "table": "scaling per layer"},
        ),
    log:
        "results/logs/scaling/{experiment}.log",
    benchmark:
        "results/benchmarks/scaling/{experiment}.tsv"
    wildcard_constraints:
        experiment=scaled_experiments(),
    conda:
        "../../envs/analysis.yaml"
    # one: the bootstraps hold the GIL, so a second thread saved 2 % and kept a core idle
    # (docs/speed.md, "Design decisions")
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        sources=get_scaling_sources,
        settings=targets.scaling_settings(config),
        code=get_code_definition,
    script:
        "../../scripts/scaling.py"


rule scaling_figure:
    input:
        table=SCALING.format(experiment="{experiment}", ext="parquet"),
        degeneracy=SCALING.format(experiment="{experiment}", ext="degeneracy.parquet"),
    output:
        pdf=FIGURE.format(figure="scaling_{experiment}", ext="pdf"),
        png=report(
            FIGURE.format(figure="scaling_{experiment}", ext="png"),
            caption="../report/scaling_figure.rst",
            category="Scaling",
            labels={"experiment": "{experiment}", "figure": "K(M), beta(M), p, CCDFs"},
        ),
    log:
        "results/logs/figures/scaling_{experiment}.log",
    wildcard_constraints:
        experiment=scaled_experiments(),
    localrule: True
    conda:
        "../../envs/analysis.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        settings=canonical({**config["figures"]["style"], "width": 11, "height": 2.6}),
    script:
        "../../scripts/scaling_figure.py"
