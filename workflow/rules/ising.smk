# 2-D Ising datasets: independent equilibrium samples, thinned by measured tau_int.


rule ising:
    output:
        data="results/data/ising_L{L}_T{T}.npz",
        autocorr="results/ising/autocorr/ising_L{L}_T{T}.parquet",
    log:
        "results/logs/ising/ising_L{L}_T{T}.log",
    benchmark:
        "results/benchmarks/ising/ising_L{L}_T{T}.tsv"
    conda:
        "../../envs/analysis.yaml"
    threads: 2
    resources:
        **cluster_request(mem_mb=1000, runtime=30),
    params:
        n_samples=config["ising"]["n_samples"],
        algorithm=config["ising"]["algorithm"],
        seed=config["ising"]["seed"],
        chains=config["ising"]["chains"],
    script:
        "../../scripts/ising.py"


rule ising_autocorr:
    input:
        expand(
            "results/ising/autocorr/ising_L{L}_T{T}.parquet",
            L=config["ising"]["L"],
            T=config["ising"]["temperatures"],
        ),
    output:
        "results/ising/autocorr.parquet",
    log:
        "results/logs/ising/autocorr.log",
    conda:
        "../../envs/analysis.yaml"
    resources:
        **cluster_request(mem_mb=1000, runtime=10),
    script:
        "../../scripts/concat_tables.py"
