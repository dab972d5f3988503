# One rule per figure, so that a figure's settings rebuild that figure alone.

for figure in FIGURES:

    rule:
        name:
            f"figure_{figure}"
        input:
            **figure_inputs(figure),
        output:
            pdf=f"results/figures/{figure}.pdf",
            png=report(
                f"results/figures/{figure}.png",
                caption=f"../report/{figure}.rst",
                category="Figures",
            ),
        log:
            f"results/logs/figures/{figure}.log",
        benchmark:
            f"results/benchmarks/figures/{figure}.tsv"
        conda:
            "../../envs/analysis.yaml"
        resources:
            **cluster_request(mem_mb=1000, runtime=10),
        params:
            figure=figure,
            settings=canonical(
                {**config["figures"]["style"], **config["figures"][figure]}
            ),
        script:
            "../../scripts/figure.py"
