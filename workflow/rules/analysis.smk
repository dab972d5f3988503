# Cluster sizes, information measures and power-law fits per experiment (tables only).


rule degeneracy:
    input:
        job(targets.codes_files, EXPERIMENTS, paths=True),
    output:
        paths.table("degeneracy"),
    log:
        "results/logs/degeneracy/{experiment}.log",
    benchmark:
        "results/benchmarks/degeneracy/{experiment}.tsv"
    conda:
        "../../envs/analysis.yaml"
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        sources=job(targets.codes_files, EXPERIMENTS),
    script:
        "../../scripts/degeneracy.py"


rule information:
    input:
        degeneracy=paths.table("degeneracy"),
        codes=job(targets.codes_files, EXPERIMENTS, paths=True),
    output:
        paths.table("information"),
    log:
        "results/logs/information/{experiment}.log",
    benchmark:
        "results/benchmarks/information/{experiment}.tsv"
    conda:
        "../../envs/analysis.yaml"
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        sources=job(targets.codes_files, EXPERIMENTS),
        seed=config["analysis"]["seed"],
    script:
        "../../scripts/information.py"


rule fits:
    input:
        paths.table("degeneracy"),
    output:
        paths.table("fits"),
    log:
        "results/logs/fits/{experiment}.log",
    benchmark:
        "results/benchmarks/fits/{experiment}.tsv"
    conda:
        "../../envs/analysis.yaml"
    # one: the bootstraps hold the GIL, so a second thread saved 2 % and kept a core idle
    # (docs/speed.md, "Design decisions")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,
    params:
        settings=canonical(config["analysis"]),
        code=job(targets.code_definition, EXPERIMENTS),
        facts=job(row_facts, config, EXPERIMENTS),
    script:
        "../../scripts/fits.py"


rule fits_summary:
    input:
        [paths.table("fits", id) for id in EXPERIMENTS],
    output:
        report(
            paths.FITS_SUMMARY,
            caption="../report/fits_table.rst",
            category="Tables",
            labels={"table": "power-law fits"},
        ),
    log:
        "results/logs/fits/summary.log",
    localrule: True
    conda:
        "../../envs/analysis.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../../scripts/fits_summary.py"


rule null_comparison:
    input:
        fits=expand(TABLE, table="fits", experiment=COMPARED),
        scaling=[paths.scaling("tsv", e) for e in SCALED if e in COMPARED],
    output:
        report(
            paths.COMPARISON,
            caption="../report/null_comparison.rst",
            category="Tables",
            labels={"table": "layers beside their nulls"},
        ),
    log:
        "results/logs/fits/comparison.log",
    localrule: True
    conda:
        "../../envs/analysis.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        nulls=NULLS,
    script:
        "../../scripts/null_comparison.py"


rule relevance:
    input:
        expand(TABLE, table="information", experiment=COMPARED),
    output:
        report(
            paths.RELEVANCE,
            caption="../report/relevance.rst",
            category="Tables",
            labels={"table": "relevance beside the nulls"},
        ),
    log:
        "results/logs/relevance.log",
    localrule: True
    conda:
        "../../envs/analysis.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        nulls=NULLS,
    script:
        "../../scripts/relevance.py"


rule sweep_table:
    input:
        job(targets.sweep_tables, EXPERIMENTS),
    output:
        table=paths.SWEEP,
        summary=report(
            paths.SWEEP_SUMMARY,
            caption="../report/sweep_table.rst",
            category="Sweeps",
            labels={"sweep": "{sweep}", "table": "across seeds"},
        ),
    log:
        "results/logs/sweeps/{sweep}.log",
    localrule: True
    conda:
        "../../envs/analysis.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        points=job(targets.sweep_points, EXPERIMENTS),
    script:
        "../../scripts/sweep_table.py"


rule claims:
    input:
        **get_claim_inputs().input,
    output:
        report(
            paths.CLAIMS,
            caption="../report/claims.rst",
            category="Tables",
            labels={"table": "claims of the paper"},
        ),
    log:
        "results/logs/claims.log",
    localrule: True
    conda:
        "../../envs/analysis.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        **get_claim_inputs().params,
    script:
        "../../scripts/claims.py"
