"""The claims table, results/claims.tsv: one row per claim of the paper (SPEC C1-C7) with
the experiments it rests on, a verdict and the evidence in numbers, generated from the fits,
information and sweep tables. The rules that decide each verdict are written out here and
in the README ("Claims and how they are decided"); they read hidden layers of the training
split at each experiment's last snapshot, aggregated over seeds.

A layer's support for a power law (`support`):
- `whole range`: the CSN test passes (p >= 0.1) in >= 80 % of seeds, the whole-range test
  (x_min = 1) passes in >= 80 % of seeds, and no alternative is significantly better;
- `tail`: the CSN test passes in >= 50 % of seeds (a power law above x_min only);
- `none`: it passes in fewer, or the codes are degenerate.
"""

from dataclasses import dataclass

import numpy as np
import polars as pl

from scaleinv.analysis.alternatives import ALTERNATIVES
from scaleinv.analysis.fits import SCHEMA, fits_better
from scaleinv.analysis.information import max_relevance
from scaleinv.analysis.sweep_table import aggregate
from scaleinv.ising import T_CRITICAL
from scaleinv.plan.figures import FIGURES
from scaleinv.plan.kinds import KINDS
from scaleinv.plan.targets import drawn_figures, figure_experiments
from scaleinv.tables import GROUP, last_hidden_layers, read_frame, write_tsv

COLLAPSED = 10  # an untrained layer with at most this many distinct codes has collapsed


@dataclass(frozen=True)
class Tables:
    """What the claims are decided from: fits, information and sweep tables (Polars), the
    temperature of each Ising experiment id and the critical window's relative half-width."""

    fits: pl.DataFrame
    information: pl.DataFrame
    sweeps: pl.DataFrame
    temperatures: dict
    critical_window: float


def layer_support(row):
    """`whole range`, `tail` or `none` for one aggregate row (see the module docstring)."""
    if row["fitted"] == 0 or row["pass_rate"] < 0.5:
        return "none"
    if row["pass_rate"] >= 0.8 and row["whole_pass_rate"] >= 0.8 and not row["better"]:
        return "whole range"
    return "tail"


def layers(fits, experiments):
    """Aggregate rows (one per experiment and hidden layer, last snapshot, training split)
    of `experiments`, with `support` and the alternatives that beat the power law."""
    return with_support(last_hidden_layers(fits.filter(pl.col("experiment").is_in(experiments))))


def with_support(rows):
    """Aggregate over seeds of fits rows, with `better` (the alternatives significantly
    better than the power law in most fitted seeds) and `support`."""
    if rows.height == 0:
        return []
    out = []
    for row in aggregate(rows.rename({"experiment": "point"})).rows(named=True):
        seeds = rows.filter(
            pl.col("experiment") == row["point"],
            pl.col("epoch") == row["epoch"],
            pl.col("layer") == row["layer"],
            pl.col("status") == "ok",
        )
        row["better"] = [
            name
            for name in ALTERNATIVES
            if 2 * fits_better(seeds[f"llr_{name}"], seeds[f"p_{name}"]).sum() > seeds.height
        ]
        out.append({**row, "support": layer_support(row)})
    return out


def describe(row):
    """One layer's evidence in a few numbers."""
    name = f"{row['point']} {row['layer']}"
    if row["fitted"] == 0:
        return f"{name}: degenerate in all {row['seeds']} seeds"
    # the seed count first: a 100 % pass rate of one seed is one fit, not a consensus
    seeds = f"{row['seeds']} seed" + ("" if row["seeds"] == 1 else "s")
    words = (
        f"{name}, {seeds}: "
        f"beta {row['beta_mean']:.2f} [{row['beta_low']:.2f}, {row['beta_high']:.2f}], "
        f"CSN pass {row['pass_rate']:.0%}, whole-range pass {row['whole_pass_rate']:.0%}, "
        f"tail {row['tail_codes']:.0%} of codes over {row['decades']:.1f} decades"
    )
    return (
        words
        + (f", {'/'.join(row['better'])} better" if row["better"] else "")
        + f" ({row['support']})"
    )


def by_support(rows, wanted):
    return sum(row["support"] in wanted for row in rows)


def power_law(tables, experiments):
    """supported: every layer `whole range`; partly: at least half at least `tail`."""
    rows = layers(tables.fits, experiments)
    if not rows:
        return "not testable here", "no fitted layers"
    if by_support(rows, ("whole range",)) == len(rows):
        verdict = "supported"
    elif by_support(rows, ("whole range", "tail")) * 2 >= len(rows):
        verdict = "partly"
    else:
        verdict = "not supported"
    return verdict, "; ".join(map(describe, rows))


def control(tables, experiments):
    """The control (k-means) must not look like a power law: supported when its layer has
    support `none`, partly for `tail`, not supported for `whole range`."""
    rows = layers(tables.fits, experiments)
    if not rows:
        return "not testable here", "no k-means experiment configured"
    worst = max(("none", "tail", "whole range").index(row["support"]) for row in rows)
    return ("supported", "partly", "not supported")[worst], "; ".join(map(describe, rows))


def learning(tables, experiments):
    """Deep layers (all but z1) of the untrained network (epoch 0) have collapsed (at most
    COLLAPSED distinct codes in every seed), and after one epoch every layer has at least
    `tail` support: supported when both hold, partly when one does."""
    info = tables.information.filter(
        pl.col("experiment").is_in(experiments), pl.col("split") == "train"
    )
    deep = info.filter(pl.col("epoch") == 0, ~pl.col("layer").is_in(["x", "z1"]))
    if deep.height == 0 or info.filter(pl.col("epoch") == 1).height == 0:
        return "not testable here", "needs snapshots 0 and 1 of a network with two or more layers"
    collapsed = bool((deep["distinct"] <= COLLAPSED).all())
    rows = tables.fits.filter(pl.col("experiment").is_in(experiments), pl.col("epoch") == 1)
    rows = with_support(rows.filter(pl.col("layer") != "x", pl.col("split") == "train"))
    learned = by_support(rows, ("whole range", "tail")) == len(rows)
    verdict = ("not supported", "partly", "partly", "supported")[2 * collapsed + learned]
    untrained = ", ".join(
        f"{r['layer']} {r['distinct']}" for r in deep.sort("layer", "seed").rows(named=True)
    )
    evidence = f"distinct codes at epoch 0 (per seed): {untrained}; after 1 epoch: " + "; ".join(
        map(describe, rows)
    )
    return verdict, evidence


def phase(temperature, window):
    """`low`, `critical` or `high`: below, inside or above the window T_c (1 +- window),
    bounds included. On a finite periodic L x L lattice the pseudo-critical temperature is
    shifted from Onsager's T_c by O(1/L) (Ferdinand & Fisher 1969): at L = 10 the specific
    heat peaks at T = 2.345, 3.3 % above T_c, so the paper's T_c = 2.26 is critical, not low."""
    T = float(temperature)
    if T < T_CRITICAL * (1 - window):
        return "low"
    return "critical" if T <= T_CRITICAL * (1 + window) else "high"


def ising(tables, experiments):
    """Below the critical window every z layer has support `none`; in and above it at least
    `tail`: supported when both hold in every experiment, partly when one of the two holds."""
    rows = layers(tables.fits, experiments)
    phases = [phase(tables.temperatures[r["point"]], tables.critical_window) for r in rows]
    low = [r for r, p in zip(rows, phases, strict=True) if p == "low"]
    warm = [r for r, p in zip(rows, phases, strict=True) if p != "low"]
    if not low or not warm:
        window = f"T_c = {T_CRITICAL:.3f} +- {tables.critical_window:.0%}"
        return "not testable here", f"needs temperatures below and in or above {window}"
    cold = by_support(low, ("none",)) == len(low)
    hot = by_support(warm, ("whole range", "tail")) == len(warm)
    verdict = ("not supported", "partly", "partly", "supported")[2 * cold + hot]
    evidence = (f"{p} T: {describe(r)}" for r, p in zip(rows, phases, strict=True))
    return verdict, "; ".join(evidence)


def robustness(tables, experiments):
    """Over every sweep point and hidden layer (last snapshot, training split), the share
    whose CSN test passes in at least half the seeds: supported >= 80 %, partly >= 50 %."""
    if tables.sweeps.height == 0:
        return "not testable here", "no sweeps configured (run workflow/configs/robustness.yaml)"
    points = last_hidden_layers(tables.sweeps, "point").unique(["point", "layer"], keep="first")
    points = points.sort("point", "layer")
    passing = points["pass_rate"] >= 0.5
    share = float(passing.mean())
    verdict = "supported" if share >= 0.8 else "partly" if share >= 0.5 else "not supported"
    failing = points.filter(~passing).select("point", "layer").rows()
    evidence = f"{int(passing.sum())} of {points.height} (point, layer) pass in >= half the seeds"
    if failing:
        evidence += "; failing: " + ", ".join(f"{p} {layer}" for p, layer in failing[:20])
        evidence += " ..." if len(failing) > 20 else ""
    return verdict, evidence


def relevance(tables, experiments):
    """H(K) of each trained hidden layer over the maximal-relevance bound at its M and H(Z)
    (`max_relevance`; no sample exceeds it): supported when every layer reaches >= 90 % of
    the bound, partly when half do. At either end of the plane (one cluster, all singletons)
    the bound is 0 and the ratio undefined (nan): such a layer is not near it."""
    info = last_hidden_layers(tables.information.filter(pl.col("experiment").is_in(experiments)))
    if info.height == 0:
        return "not testable here", "no trained layers"
    info = info.sort("experiment", "layer", "seed")
    bound = np.zeros(info.height)
    for M in info["M"].unique():
        chosen = (info["M"] == M).to_numpy()
        bound[chosen] = max_relevance(M, info["H_Z"].to_numpy()[chosen])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(bound > 0, info["H_K"].to_numpy() / bound, np.nan)
    names = [
        f"{e} {layer} seed {seed}"
        for e, layer, seed in info.select("experiment", "layer", "seed").rows()
    ]
    near = int(np.sum(ratios >= 0.9))
    verdict = (
        "supported"
        if near == len(ratios)
        else "partly"
        if 2 * near >= len(ratios)
        else "not supported"
    )
    evidence = "H(K) / maximal relevance at the same M and H(Z): " + ", ".join(
        f"{name} {ratio:.2f}" for name, ratio in zip(names, ratios, strict=True)
    )
    return verdict, evidence


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    figure: str
    decide: object  # (Tables, experiment ids) -> (verdict, evidence)


CLAIMS = (
    Claim("C1", "m(k) of RBM, MLP and autoencoder codes follows a power law", "fig1", power_law),
    Claim("C2", "k-means clusters do not follow a power law", "fig2", control),
    Claim("C3", "CNN autoencoder codes do, less prominently", "fig3", power_law),
    Claim("C4", "learning is required: untrained deep layers collapse; one epoch suffices",
          "fig4", learning),
    Claim("C5", "Ising inputs: no power law at low T, power laws at and above T_c", "fig5", ising),
    Claim("C6", "the result survives ReLU, threshold, width and initialisation", "sweep_*",
          robustness),
    Claim("C7", "trained codes sit near the maximum-relevance bound of Sec. III",
          "relevance_resolution", relevance),
)  # fmt: skip


def claims_table(tables, experiments):
    """One row per claim; experiments: {claim id: the experiment ids it rests on}."""
    rows = []
    for claim in CLAIMS:
        ids = experiments.get(claim.id, [])
        verdict, evidence = claim.decide(tables, ids)
        rows.append(
            {
                "claim": claim.id,
                "text": claim.text,
                "experiments": ", ".join(ids),
                "verdict": verdict,
                "evidence": evidence,
                "figure": claim.figure,
            }
        )
    return pl.DataFrame(rows)


def _stack(paths, columns):
    """The tables at `paths` stacked; with none (a config of your own codes only), an empty
    frame with the key and `columns`, so every claim reads `not testable here`."""
    if not paths:
        return pl.DataFrame(schema={**{key: SCHEMA[key] for key in GROUP}, **columns})
    return pl.concat([read_frame(p, [*GROUP, *columns]) for p in paths], how="diagonal")


def write_claims(
    fits_paths, information_paths, sweep_paths, experiments, temperatures, critical_window, path
):
    """results/claims.tsv from the tables of the experiments the claims rest on;
    critical_window: the relative half-width of the window around T_c (C5)."""
    fits = _stack(fits_paths, {"status": pl.String})
    information = _stack(
        information_paths, {"M": pl.Int64, "distinct": pl.Int64, "H_Z": pl.Float64}
    )
    sweeps = [read_frame(p, ["point", "pass_rate"]) for p in sweep_paths]
    sweeps = pl.concat(sweeps, how="diagonal") if sweeps else pl.DataFrame()
    tables = Tables(fits, information, sweeps, temperatures, critical_window)
    write_tsv(claims_table(tables, experiments), path)


# Where a claim rests on other experiments than every one its figure draws: C7's figure
# draws the controls too, the claim is about the networks of Fig. 1; of their figures'
# experiments, C2 rests on the k-means controls and C5 on the Ising experiments.
_FIGURE_EXPERIMENTS = {"C7": "fig1"}
_KEEP = {
    "C2": lambda e: KINDS[e.kind].writes_cluster_ids,
    "C5": lambda e: e.temperature,
}


def claim_experiments(config, experiments):
    """{claim id: experiment ids}, the `experiments` of claims_table: those the claim's
    figure draws (none when the config does not draw it), narrowed as above. Sorted:
    reordering config.yaml must rerun nothing. C6 rests on sweeps instead
    (`plan.sweeps.robustness_sweeps`), so it is not here."""
    drawn = drawn_figures(config)
    rests = {}
    for claim in CLAIMS:
        figure = _FIGURE_EXPERIMENTS.get(claim.id, claim.figure)
        if figure not in FIGURES:
            continue
        ids = figure_experiments(config, experiments, figure) if figure in drawn else []
        keep = _KEEP.get(claim.id, lambda e: True)
        rests[claim.id] = sorted(id for id in ids if keep(experiments[id]))
    return rests
