# One rule per figure drawn (catalog: scaleinv.plan.figures), so that a figure's settings
# rebuild that figure alone.

for figure in targets.drawn_figures(config):

    rule:
        name:
            f"figure_{figure}"
        input:
            **get_figure_inputs(figure),
        output:
            pdf=FIGURE.format(figure=figure, ext="pdf"),
            png=report(
                FIGURE.format(figure=figure, ext="png"),
                caption=f"../report/{figure}.rst",
                category="Figures",
                labels={
                    "figure": figure,
                    "experiments": targets.figure_label(config, figure),
                },
            ),
        log:
            f"results/logs/figures/{figure}.log",
        benchmark:
            f"results/benchmarks/figures/{figure}.tsv"
        localrule: True
        conda:
            "../../envs/analysis.yaml"
        resources:
            mem_mb=1000,
            runtime=10,
        params:
            figure=figure,
            settings=canonical(
                {**config["figures"]["style"], **config["figures"][figure]}
            ),
            experiments=targets.figure_facts(config, EXPERIMENTS, figure),
        script:
            "../../scripts/figure.py"


rule sweep_figure:
    input:
        SWEEP,
    output:
        pdf=FIGURE.format(figure="sweep_{sweep}", ext="pdf"),
        png=report(
            FIGURE.format(figure="sweep_{sweep}", ext="png"),
            caption="../report/sweep_figure.rst",
            category="Sweeps",
            labels={"sweep": "{sweep}", "figure": "beta and pass rate"},
        ),
    log:
        "results/logs/figures/sweep_{sweep}.log",
    localrule: True
    conda:
        "../../envs/analysis.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        axes=get_sweep_axes,
        settings=canonical({**config["figures"]["style"], "width": 9, "height": 3.5}),
    script:
        "../../scripts/sweep_figure.py"
