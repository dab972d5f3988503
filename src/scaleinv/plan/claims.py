"""The claims catalog: each claim of the paper (SPEC C1-C7) as a row of plain data: its
id and words, the figure that shows it, the figure whose experiments it rests on, and the
rule of `scaleinv.analysis.claims` that decides it (by name, as the figure catalog names
its drawing functions). Plain data, so the rules can read which experiments each claim
needs while Snakemake parses the workflow, without the analysis's polars and scipy.

Here too, once: what a verdict reads of an experiment (`RowFacts`: which control it is,
whose null, which sweep point), carried by every fits, scaling and sweep row as typed
columns, so a verdict never parses a code's description or a point's id; and the claims
rule's inputs and params (`claims_job`).
"""

from dataclasses import asdict, dataclass

from scaleinv.datasets.catalog import MNIST
from scaleinv.plan.experiments import UNMATCHED, canonical
from scaleinv.plan.figures import FIGURES
from scaleinv.plan.kinds import KINDS
from scaleinv.plan.sweeps import label, robustness_sweeps
from scaleinv.plan.targets import drawn_figures, figure_experiments


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    figure: str  # the figure a reader looks at
    decide: str  # the rule in scaleinv.analysis.claims.RULES
    rests_on: str = ""  # the figure whose experiments it rests on ("": `figure`'s)
    ising_only: bool = False  # of those, the Ising experiments alone
    paper_dataset: str | None = None  # the paper's data for all it rests on (else its kinds')


CLAIMS = (
    Claim("C1", "m(k) of RBM, MLP and autoencoder codes follows a power law", "fig1",
          "power_law"),
    Claim("C2", "k-means clusters do not follow a power law", "fig2", "control"),
    Claim("C3", "CNN autoencoder codes do, less prominently", "fig3", "power_law"),
    Claim("C4", "learning is required: untrained deep layers collapse; one epoch suffices",
          "fig4", "learning", paper_dataset=MNIST),
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


def base_of(config, experiments, experiment):
    """The id of a sweep point's base experiment at the same temperature; None when
    `experiment` is no sweep point or its base was not run."""
    if not experiment.sweep:
        return None
    base = config["sweeps"][experiment.sweep]["base"]
    base_id = f"{base}_T{experiment.temperature}" if experiment.temperature else base
    return base_id if base_id in experiments else None


def sweep_bases(config, experiments, sweeps):
    """{point id: the id of its base experiment at the same temperature} of every point of
    `sweeps` whose base was run (C6 compares each point with its base)."""
    bases = {
        e.id: base_of(config, experiments, e) for e in experiments.values() if e.sweep in sweeps
    }
    return {id: base for id, base in sorted(bases.items()) if base}


NO_CONTROL = "none"  # `control` of a network's (or your own) codes


@dataclass(frozen=True)
class RowFacts:
    """What a verdict reads of an experiment, one typed column each in its fits, scaling
    and sweep rows (`scaleinv.analysis.fits.FACTS`), from the plan, never from words."""

    kind: str = ""  # its kind (plan.kinds); "": your own table
    dataset: str | None = None  # the dataset it was run on (None: your own codes)
    control: str = NO_CONTROL  # a control's kind (kmeans, random_projection, ...) or NO_CONTROL
    target: str | None = None  # a null: the id of the experiment it is read beside
    match: str | None = None  # a null: what it matches (distinct, entropy, or unmatched)
    temperature: float | None = None  # an Ising experiment: T
    sweep: str | None = None  # a sweep point: its sweep
    base: str | None = None  # ... the id of its base experiment at the same T (if run)
    axis: tuple[str, ...] = ()  # ... its grid axes, in the order of its id
    value: tuple[str, ...] = ()  # ... the value of each, as its id writes it

    def as_params(self):
        """Plain data for the table jobs' params (lists, keys sorted)."""
        return canonical({**asdict(self), "axis": list(self.axis), "value": list(self.value)})

    @classmethod
    def from_params(cls, params):
        return cls(**{**params, "axis": tuple(params["axis"]), "value": tuple(params["value"])})


def control_of(kind):
    """The `control` of an experiment of Kind `kind`: its name for a control, a null of a
    target or codes that are cluster ids (k-means, C2's control when it is nobody's null);
    NO_CONTROL for a network's codes or your own."""
    return kind.name if kind.null or kind.writes_cluster_ids else NO_CONTROL


def row_facts(config, experiments, experiment):
    """The RowFacts of experiment id `experiment`, as plain data (a fits, scaling or sweep
    job's param)."""
    e = experiments[experiment]
    kind = KINDS[e.kind]
    match = (e.settings["match"] if kind.matched else UNMATCHED) if kind.null else None
    return RowFacts(
        kind=kind.name,
        dataset=e.dataset or None,
        control=control_of(kind),
        target=e.target or None,
        match=match,
        temperature=float(e.temperature) if e.temperature else None,
        sweep=e.sweep,
        base=base_of(config, experiments, e),
        axis=tuple(e.point),
        value=tuple(label(v) for v in e.point.values()),
    ).as_params()


@dataclass(frozen=True)
class ClaimsJob:
    """The claims rule's named inputs (`fits`, `information`, `sweeps`: lists of paths)
    and params (`experiments`: {claim id: what it rests on}; `critical_window`)."""

    input: dict
    params: dict


def claims_job(config, experiments, table, sweep):
    """The claims rule's inputs and params, computed here alone. table(name, id): the path
    of an experiment's table (fits, information); sweep(name): a sweep table's path. The
    claims read the fits and information of the experiments each claim rests on, of their
    nulls (read beside them) and of the sweeps' base experiments, and the robustness
    sweeps' tables (C6 rests on those sweeps)."""
    rests = claim_experiments(config, experiments)
    sweeps = robustness_sweeps(config)
    ids = {id for members in rests.values() for id in members}
    ids |= {e.id for e in experiments.values() if e.target in ids}  # read beside targets
    ids = sorted(ids | set(sweep_bases(config, experiments, sweeps).values()))
    return ClaimsJob(
        input={
            "fits": [table("fits", id) for id in ids],
            "information": [table("information", id) for id in ids],
            "sweeps": [sweep(name) for name in sweeps],
        },
        params={
            "experiments": canonical({**rests, "C6": sweeps}),
            "critical_window": config["ising"]["critical_window"],
        },
    )
