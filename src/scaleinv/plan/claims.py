"""The claims catalog: each claim of the paper (SPEC C1-C7) as a row of plain data: its
id and words, the figure that shows it, the figure whose experiments it rests on, and the
rule of `scaleinv.analysis.claims` that decides it (by name, as the figure catalog names
its drawing functions). Plain data, so the rules can read which experiments each claim
needs while Snakemake parses the workflow, without the analysis's polars and scipy.
"""

from dataclasses import dataclass

from scaleinv.plan.figures import FIGURES
from scaleinv.plan.targets import drawn_figures, figure_experiments


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    figure: str  # the figure a reader looks at
    decide: str  # the rule in scaleinv.analysis.claims.RULES
    rests_on: str = ""  # the figure whose experiments it rests on ("": `figure`'s)
    ising_only: bool = False  # of those, the Ising experiments alone


CLAIMS = (
    Claim("C1", "m(k) of RBM, MLP and autoencoder codes follows a power law", "fig1",
          "power_law"),
    Claim("C2", "k-means clusters do not follow a power law", "fig2", "control"),
    Claim("C3", "CNN autoencoder codes do, less prominently", "fig3", "power_law"),
    Claim("C4", "learning is required: untrained deep layers collapse; one epoch suffices",
          "fig4", "learning"),
    Claim("C5", "Ising inputs: no power law at low T, power laws at and above T_c", "fig5",
          "ising", ising_only=True),
    # C6 rests on the sweeps (plan.sweeps.robustness_sweeps), not on a figure's experiments
    Claim("C6", "the result survives ReLU, threshold, width and initialisation", "sweep_*",
          "robustness"),
    # C7's figure draws the controls too; the claim is about the networks of Fig. 1
    Claim("C7", "trained codes sit near the maximum-relevance bound of Sec. III",
          "relevance_resolution", "relevance", rests_on="fig1"),
)  # fmt: skip


def claim_experiments(config, experiments):
    """{claim id: experiment ids}: those the figure a claim rests on draws (none when the
    config does not draw it), the Ising ones alone where the catalog says so. Sorted:
    reordering config.yaml must rerun nothing. C6, resting on sweeps, is not here."""
    drawn = drawn_figures(config)
    rests = {}
    for claim in CLAIMS:
        figure = claim.rests_on or claim.figure
        if figure not in FIGURES:
            continue
        ids = figure_experiments(config, experiments, figure) if figure in drawn else []
        rests[claim.id] = sorted(
            id for id in ids if not claim.ising_only or experiments[id].temperature
        )
    return rests


def sweep_bases(config, experiments, sweeps):
    """{point id: the id of its base experiment at the same temperature} of every point of
    `sweeps` whose base was run (C6 compares each point with its base)."""
    bases = {}
    for experiment in experiments.values():
        if experiment.sweep in sweeps:
            base = config["sweeps"][experiment.sweep]["base"]
            base_id = f"{base}_T{experiment.temperature}" if experiment.temperature else base
            if base_id in experiments:
                bases[experiment.id] = base_id
    return dict(sorted(bases.items()))
