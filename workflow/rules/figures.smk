# One rule per figure drawn (catalog: scaleinv.figures), so that a figure's settings
# rebuild that figure alone.

for figure in drawn_figures():

    rule:
        name:
            f"figure_{figure}"
        input:
            **figure_inputs(figure),
        output:
            pdf=FIGURE.format(figure=figure, ext="pdf"),
            png=report(
                FIGURE.format(figure=figure, ext="png"),
                caption=f"../report/{figure}.rst",
                category="Figures",
                labels={"figure": figure, "experiments": figure_label(figure)},
            ),
        log:
            f"results/logs/figures/{figure}.log",
        benchmark:
            f"results/benchmarks/figures/{figure}.tsv"
        localrule: True
        conda:
            "../../envs/analysis.yaml"
        resources:
            **cluster_request(mem_mb=1000, runtime=10),
        params:
            figure=figure,
            settings=canonical(
                {**config["figures"]["style"], **config["figures"][figure]}
            ),
            experiments=figure_facts(figure),
        script:
            "../../scripts/figure.py"
