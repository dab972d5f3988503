# Cluster sizes, information measures and power-law fits per experiment (tables only).


rule degeneracy:
    input:
        get_codes,
    output:
        TABLE.format(table="degeneracy", experiment="{experiment}"),
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
        sources=get_codes_sources,
    script:
        "../../scripts/degeneracy.py"


rule information:
    input:
        degeneracy=TABLE.format(table="degeneracy", experiment="{experiment}"),
        codes=get_codes,
    output:
        TABLE.format(table="information", experiment="{experiment}"),
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
        sources=get_codes_sources,
        seed=config["analysis"]["seed"],
    script:
        "../../scripts/information.py"


rule fits:
    input:
        TABLE.format(table="degeneracy", experiment="{experiment}"),
    output:
        TABLE.format(table="fits", experiment="{experiment}"),
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
        code=get_code_definition,
    script:
        "../../scripts/fits.py"


rule fits_summary:
    input:
        expand(TABLE, table="fits", experiment=EXPERIMENTS),
    output:
        report(
            "results/fits/summary.tsv",
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
        scaling=expand(
            SCALING, experiment=[e for e in SCALED if e in COMPARED], ext="tsv"
        ),
    output:
        report(
            "results/fits/comparison.tsv",
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


rule sweep_table:
    input:
        get_sweep_tables,
    output:
        table=SWEEP,
        summary=report(
            "results/sweeps/{sweep}.tsv",
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
        points=get_sweep_points,
    script:
        "../../scripts/sweep_table.py"


rule claims:
    input:
        **get_claim_inputs(),
    output:
        report(
            "results/claims.tsv",
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
        experiments=canonical({**CLAIM_EXPERIMENTS, "C6": robustness_sweeps(config)}),
        temperatures=canonical(
            {id: e.temperature for id, e in EXPERIMENTS.items() if e.temperature}
        ),
        critical_window=config["ising"]["critical_window"],
        bases=SWEEP_BASES,
        nulls=NULLS,
    script:
        "../../scripts/claims.py"
