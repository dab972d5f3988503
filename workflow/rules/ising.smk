# 2-D Ising datasets: independent equilibrium samples, thinned by measured tau_int.


rule ising:
    output:
        data=paths.ISING_DATA,
        autocorr=paths.ISING_AUTOCORR,
    log:
        "results/logs/ising/ising_L{L}_T{T}.log",
    benchmark:
        "results/benchmarks/ising/ising_L{L}_T{T}.tsv"
    conda:
        "../../envs/analysis.yaml"
    threads: 2
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        settings=targets.ising_sampling(config),
    script:
        "../../scripts/ising.py"


rule ising_autocorr:
    input:
        expand(paths.AUTOCORR, dataset=targets.ising_datasets(EXPERIMENTS)),
    output:
        table=paths.AUTOCORR_TABLE,
        tsv=report(
            paths.AUTOCORR_SUMMARY,
            caption="../report/autocorr.rst",
            category="Tables",
            labels={"table": "Ising autocorrelation"},
        ),
    log:
        "results/logs/ising/autocorr.log",
    localrule: True
    conda:
        "../../envs/analysis.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../../scripts/concat_tables.py"
