# One rule per figure drawn (catalog: scaleinv.plan.figures), so that a figure's settings
# rebuild that figure alone.

for figure in targets.drawn_figures(config):

    rule:
        name:
            f"figure_{figure}"
        input:
            **targets.figure_inputs(config, EXPERIMENTS, figure),
        output:
            pdf=paths.figure(figure, "pdf"),
            png=report(
                paths.figure(figure, "png"),
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
            settings=targets.figure_settings(config, figure),
            experiments=targets.figure_facts(config, EXPERIMENTS, figure),
        script:
            "../../scripts/figure.py"


rule sweep_figure:
    input:
        paths.SWEEP,
    output:
        pdf=paths.figure("sweep_{sweep}", "pdf"),
        png=report(
            paths.figure("sweep_{sweep}", "png"),
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
        axes=job(figure_axes, EXPERIMENTS),
        settings=targets.figure_settings(config, "sweep"),
    script:
        "../../scripts/sweep_figure.py"
