"""The claims table, results/claims.tsv: one row per claim of the paper (SPEC C1-C7) with
the experiments it rests on, two verdicts, the evidence in numbers and the figure,
generated from the fits and sweep tables (and information, for C7). The rules that decide
each verdict are written out here and in the docs ("Claims and how they are decided");
they read hidden layers of the training split at each experiment's last snapshot (C4: at
epochs 0 and 1), aggregated over seeds.

Each claim is read in two parts a reader can hold apart:
- `verdict_exact`, an *exact power law*: a layer's `support` is `whole range` when its
  CSN passes and its whole-range (x_min = 1) passes are each as many as an exact power law
  plausibly gives (at least one, and P(X <= passes) >= 0.05 for X ~ Binomial(seeds, 0.9))
  and no alternative, the cutoff included, is significantly better in most seeds; `tail`
  when its CSN passes alone are; `none` otherwise (degenerate codes included);
- `verdict`, *approximate scale invariance*: a layer's class on the evidence ladder
  (`scaleinv.stats.ladder`), the rung most of its seeds reach.

The rules recognise what a row is by its typed columns (`fits.FACTS`, from the plan's
`RowFacts`): `control` (the k-means control, a null's kind, or none), `target` and
`match` (whose null, matched how), `temperature`, and a sweep point's `sweep`, `axis` and
`base`. C2's control is the row whose `control` names a kind (k-means) and which is
nobody's null. They never read a code's description or parse an id: ids appear in the evidence
only as names.
"""

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import polars as pl
from scipy import stats

from scaleinv.analysis.fits import FACTS, SCHEMA
from scaleinv.analysis.nulls import brief, interval, match_words, summary
from scaleinv.analysis.relevance import relevance_table
from scaleinv.analysis.sweep_table import aggregate, confidence_interval
from scaleinv.ising import T_CRITICAL
from scaleinv.plan.claims import CLAIMS, NO_CONTROL
from scaleinv.plan.kinds import KINDS
from scaleinv.stats.alternatives import ALTERNATIVES
from scaleinv.stats.ladder import (
    LadderFacts,
    any_rival_better,
    consensus,
    holding,
    most,
    pass_count_p,
    rival_better,
    rung,
)
from scaleinv.stats.powerlaw_fit import SIGNIFICANCE
from scaleinv.tables import GROUP, last_hidden_layers, read_frame, write_tsv

SCALE_INVARIANT = "weak"  # the rung a layer must reach to count as approximately scale-free
NOT_TESTABLE = "not testable here"
FIT_COLUMNS = {  # what the claims read of the fits tables
    "beta": pl.Float64,
    "se": pl.Float64,
    "p_value": pl.Float64,
    "p_whole": pl.Float64,
    "xmin_common": pl.Int64,
    "beta_common": pl.Float64,
    "tail_codes": pl.Float64,
    "decades": pl.Float64,
    "n_tail": pl.Int64,
    **{f"{kind}_{name}": pl.Float64 for name in ALTERNATIVES for kind in ("llr", "p")},
    "M": pl.Int64,
    "distinct": pl.Int64,
    "H_Z": pl.Float64,
    "status": pl.String,
    "evidence": pl.String,
    **FACTS,  # what each row is: control, null, temperature, sweep point
}

# ... and of the fits tables alone (the sweep tables lack them): the nulls' comparison
COMPARISON_COLUMNS = {"curvature": pl.Float64, "curvature_low": pl.Float64,
                      "curvature_high": pl.Float64, "d_ratio": pl.Float64,
                      "p_occupancy": pl.Float64}  # fmt: skip


@dataclass(frozen=True)
class Tables:
    """What the claims are decided from: fits, information and sweep tables (Polars; the
    fits and sweep rows with their FACTS) and the critical window's relative half-width."""

    fits: pl.DataFrame
    information: pl.DataFrame
    sweeps: pl.DataFrame
    critical_window: float

    @cached_property
    def nulls(self):
        """{target id: {null id: (its kind, what it matches)}} of the nulls among `fits`,
        sorted, from their columns `target`, `control` and `match`."""
        members = (
            self.fits.filter(pl.col("target").is_not_null())
            .select("target", "experiment", "control", "match")
            .unique()
            .sort("target", "experiment")
        )
        nulls = {}
        for target, null, kind, match in members.rows():
            nulls.setdefault(target, {})[null] = (kind, match)
        return nulls


@dataclass(frozen=True)
class Verdicts:
    exact: str  # exact power law
    approximate: str  # approximate scale invariance (the evidence ladder)
    evidence: str


CONSISTENT = 0.05  # a pass count below the 5 % quantile of Binomial(n, 0.9) rejects the law


def plausible(passes, seeds):
    """Whether `passes` of `seeds` CSN tests are as many as an exact power law plausibly
    gives: at least one, and not in the lower 5 % tail of Binomial(seeds, 0.9)."""
    return passes > 0 and pass_count_p(passes, seeds) >= CONSISTENT


def layer_support(row):
    """`whole range`, `tail` or `none` for one aggregate row (see the module docstring)."""
    if not plausible(row["passes"], row["seeds"]):
        return "none"
    if plausible(row["whole_passes"], row["seeds"]) and not row["better"]:
        return "whole range"
    return "tail"


def layers(fits, experiments):
    """Aggregate rows (one per experiment and hidden layer, last snapshot, training split)
    of `experiments`, with `support`, `evidence` and the alternatives that beat the power law."""
    return with_support(last_hidden_layers(fits.filter(pl.col("experiment").is_in(experiments))))


def with_support(rows):
    """Aggregate over seeds of fits rows, with `better` (the alternatives significantly
    better than the power law in most fitted seeds), `support`, the seeds' ladder classes,
    their consensus `evidence`, the CSN pass count and its Binomial(n, 0.9) probability."""
    if rows.height == 0:
        return []
    out = []
    for row in aggregate(rows.rename({"experiment": "point"})).rows(named=True):
        seeds = rows.filter(
            pl.col("experiment") == row["point"],
            pl.col("epoch") == row["epoch"],
            pl.col("layer") == row["layer"],
        ).sort("seed")
        fitted = seeds.filter(pl.col("status") == "ok")
        row["better"] = [
            name
            for name in ALTERNATIVES
            if 2 * rival_better(fitted[f"llr_{name}"], fitted[f"p_{name}"], fitted["n_tail"]).sum()
            > fitted.height
        ]
        first = seeds.row(0, named=True)
        row.update({name: first[name] for name in FACTS})  # the same in every seed
        common = fitted.filter(pl.col("beta_common").is_not_null())
        row["xmin_common"] = common["xmin_common"][0] if common.height else None
        row["betas_common"] = common["beta_common"].to_list()
        row["beta_common"] = confidence_interval(common["beta_common"], common["se"])
        row["classes"] = seeds["evidence"].to_list()
        row["evidence"] = consensus(row["classes"])
        row["passes"] = int((fitted["p_value"] >= SIGNIFICANCE).sum())
        row["no_rival"] = fitted.height - sum(
            any_rival_better(LadderFacts.of(seed)) for seed in fitted.iter_rows(named=True)
        )
        row.update(effect_sizes(fitted))
        row["whole_passes"] = int((fitted["p_whole"].fill_null(0) >= SIGNIFICANCE).sum())
        row["pass_p"] = pass_count_p(row["passes"], row["seeds"])
        out.append({**row, "support": layer_support(row)})
    return out


def effect_sizes(fitted):
    """A layer's effect sizes over its fitted seeds (fits rows; a sweep table has none):
    the curvature with its interval (`nulls.interval`), d_ratio (median) and how many seeds
    the occupancy law passes."""
    if "curvature" not in fitted.columns or fitted.height == 0:
        return {"curvature": (np.nan,) * 3, "d_ratio": np.nan, "occupancy_passes": None}
    return {
        "curvature": interval(
            fitted["curvature"], fitted["curvature_low"], fitted["curvature_high"]
        ),  # fmt: skip
        "d_ratio": fitted["d_ratio"].fill_null(np.nan).median(),
        "occupancy_passes": int((fitted["p_occupancy"].fill_null(0) >= SIGNIFICANCE).sum()),
    }


def describe(row):
    """One layer's evidence, effect sizes first, e.g. `mlp z2, 3 seeds: curvature -0.09
    [-0.12, -0.06] over 3.0 decades, d_ratio 2.1; ladder: none in 3/3 (no rival better in
    0/3, CSN p >= 0.1 in 0/3); occupancy law p >= 0.1 in 0/3; beta 0.92 [0.78, 1.06] at
    x_min = 2; exact power law rejected (CSN p >= 0.1 in 0/3, P = 0.00 under Binomial(3,
    0.9); whole range in 0/3; cutoff fits better)`. Super-weak (no rival better) and
    weakest (CSN p >= 0.1) are two counts, not ranked: Broido & Clauset do not nest them.
    beta is pooled over seeds at the layer's common x_min (each seed refitted there), so
    the seeds describe one range of k."""
    name = f"{row['point']} {row['layer']}"
    # the seed count first: a 100 % pass rate of one seed is one fit, not a consensus
    n = row["seeds"]
    seeds = "1 seed (indicative)" if n == 1 else f"{n} seeds"
    held = holding(row["classes"], row["evidence"])
    ladder = f"ladder: {row['evidence']} in {held}/{n}"
    if row["fitted"] == 0:
        return f"{name}, {seeds}: degenerate in every seed; {ladder}"
    ladder += f" (no rival better in {row['no_rival']}/{n}, CSN p >= 0.1 in {row['passes']}/{n})"
    mean, low, high = row["curvature"]
    effects = f"tail over {row['decades']:.1f} decades"
    if not np.isnan(mean):
        effects = (
            f"curvature {mean:.2f} [{low:.2f}, {high:.2f}] over {row['decades']:.1f} decades, "
            f"d_ratio {row['d_ratio']:.2f}"
        )
    if row["occupancy_passes"] is not None:
        ladder += f"; occupancy law p >= 0.1 in {row['occupancy_passes']}/{n}"
    reading = {"none": "rejected", "tail": "plausible above x_min", "whole range": "plausible"}
    exact = (
        f"exact power law {reading[row['support']]} (CSN p >= 0.1 in {row['passes']}/{n}, "
        f"P = {row['pass_p']:.2f} under Binomial({n}, 0.9); whole range in "
        f"{row['whole_passes']}/{n}"
        + (f"; {'/'.join(row['better'])} fits better" if row["better"] else "")
        + ")"
    )
    mean, low, high = row["beta_common"]
    beta = (
        f"beta {mean:.2f} [{low:.2f}, {high:.2f}] at x_min = {row['xmin_common']}"
        if row["xmin_common"] is not None
        else "no common x_min"
    )
    return f"{name}, {seeds}: {effects}; {ladder}; {beta}; {exact}"


def beside_nulls(tables, row):
    """`describe(row)`, then the layer's class and curvature beside its matched nulls' same
    layer (verdicts read beside what codes of the same resolution give without learning):
    `...; beside its nulls, weak in 3/3, curvature -0.04 [-0.06, -0.02] over 2.6 decades,
    3010 distinct codes; random_projection at the same distinct count: none in 3/3, ...`."""
    words = describe(row)
    nulls = tables.nulls.get(row["point"], {})
    own = tables.fits.filter(
        pl.col("experiment") == row["point"],
        pl.col("epoch") == row["epoch"],
        pl.col("layer") == row["layer"],
        pl.col("split") == "train",
    )
    mine = summary(own.sort("seed"))
    others = []
    for null, (kind, match) in nulls.items():
        seeds = last_hidden_layers(tables.fits.filter(pl.col("experiment") == null))
        seeds = seeds.filter(pl.col("layer") == row["layer"]).sort("seed")
        if seeds.height:
            theirs = summary(seeds)
            others.append(f"{kind} {match_words(match, mine, theirs)}: {brief(theirs)}")
    if not others:
        return words
    return f"{words}; beside its nulls, {brief(mine)}; " + "; ".join(others)


def by_support(rows, wanted):
    return sum(row["support"] in wanted for row in rows)


def below_weak(row):
    """Whether most of a layer's seeds sit below `weak` (a strict majority: a tie between
    seeds is no evidence that a layer is not scale-free)."""
    return most(row["classes"], lambda c: rung(c) < rung(SCALE_INVARIANT))


def reaching(rows, lowest):
    """How many layers' consensus class is at least rung `lowest`."""
    return sum(rung(row["evidence"]) >= rung(lowest) for row in rows)


def share_verdict(good, total):
    """supported: all; partly: at least half; not supported: fewer."""
    return "supported" if good == total else "partly" if 2 * good >= total else "not supported"


def power_law(tables, experiments):
    """Exact: every layer `whole range` (supported), at least half at least `tail` (partly).
    Approximate: every layer reaches `weak` in most seeds (supported), at least half do
    (partly)."""
    rows = layers(tables.fits, experiments)
    if not rows:
        return Verdicts(NOT_TESTABLE, NOT_TESTABLE, "no fitted layers")
    if by_support(rows, ("whole range",)) == len(rows):
        exact = "supported"
    elif 2 * by_support(rows, ("whole range", "tail")) >= len(rows):
        exact = "partly"
    else:
        exact = "not supported"
    approximate = share_verdict(reaching(rows, SCALE_INVARIANT), len(rows))
    return Verdicts(exact, approximate, "; ".join(beside_nulls(tables, row) for row in rows))


def is_control(row):
    """C2's control: codes of a control kind (`control`: k-means) tuned to no target, so
    not a null read beside a network."""
    return row["control"] != NO_CONTROL and row["target"] is None


def control(tables, experiments):
    """The control (k-means codes, cluster ids) must not look like a power law. Exact:
    supported when its support is `none`, partly for `tail`, not for `whole range`.
    Approximate: supported when its class is below `weak` and below every network layer it
    is drawn with (Fig. 2), partly when one of the two holds."""
    rows = layers(tables.fits, experiments)
    controls = [row for row in rows if is_control(row)]
    if not controls:
        return Verdicts(NOT_TESTABLE, NOT_TESTABLE, "no k-means experiment configured")
    networks = [row for row in rows if not is_control(row)]
    worst = max(("none", "tail", "whole range").index(row["support"]) for row in controls)
    top = max(rung(row["evidence"]) for row in controls)
    low = all(below_weak(row) for row in controls)
    below = bool(networks) and all(top < rung(row["evidence"]) for row in networks)
    approximate = ("not supported", "partly", "partly", "supported")[2 * low + below]
    evidence = "; ".join(beside_nulls(tables, row) for row in controls + networks)
    return Verdicts(("supported", "partly", "not supported")[worst], approximate, evidence)


def learning(tables, experiments):
    """Deep layers (all but z1) of the untrained network (epoch 0) are `collapsed` on the
    ladder in most seeds (few codes holding nearly every input, by H(Z) / ln M), and after
    one epoch every layer begins to look scale-free: exact, every layer at least `tail`;
    approximate, every layer at least `weakest` in most seeds. Supported when both parts
    hold, partly when one does."""
    fits = tables.fits.filter(pl.col("experiment").is_in(experiments), pl.col("split") == "train")
    deep = fits.filter(pl.col("epoch") == 0, ~pl.col("layer").is_in(["x", "z1"]))
    later = fits.filter(pl.col("epoch") == 1, pl.col("layer") != "x")
    if deep.height == 0 or later.height == 0:
        return Verdicts(
            NOT_TESTABLE,
            NOT_TESTABLE,
            "needs snapshots 0 and 1 of a network with two or more layers",
        )
    collapsed = all(
        most(group["evidence"].to_list(), lambda c: c == "collapsed")
        for _, group in deep.group_by("experiment", "layer")
    )
    rows = with_support(later)
    exact = ("not supported", "partly", "partly", "supported")[
        2 * collapsed + (by_support(rows, ("whole range", "tail")) == len(rows))
    ]
    approximate = ("not supported", "partly", "partly", "supported")[
        2 * collapsed + (reaching(rows, "weakest") == len(rows))
    ]
    untrained = ", ".join(
        f"{r['layer']} seed {r['seed']}: {r['distinct']} codes, H(Z)/ln M "
        f"{r['H_Z'] / np.log(r['M']):.2f} ({r['evidence']})"
        for r in deep.sort("layer", "seed").rows(named=True)
    )
    evidence = f"epoch 0: {untrained}; after 1 epoch: " + "; ".join(map(describe, rows))
    return Verdicts(exact, approximate, evidence)


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
    """Below the critical window no layer looks scale-free, in and above it every layer
    does. Exact: `none` below, at least `tail` in and above. Approximate: below `weak`
    below, at least `weak` in and above. Supported when both sides hold in every
    experiment, partly when one side does."""
    rows = layers(tables.fits, experiments)
    phases = [phase(r["temperature"], tables.critical_window) for r in rows]
    low = [r for r, p in zip(rows, phases, strict=True) if p == "low"]
    warm = [r for r, p in zip(rows, phases, strict=True) if p != "low"]
    if not low or not warm:
        window = f"T_c = {T_CRITICAL:.3f} +- {tables.critical_window:.0%}"
        return Verdicts(
            NOT_TESTABLE, NOT_TESTABLE, f"needs temperatures below and in or above {window}"
        )
    sides = (
        (
            by_support(low, ("none",)) == len(low),
            by_support(warm, ("whole range", "tail")) == len(warm),
        ),
        (all(map(below_weak, low)), reaching(warm, SCALE_INVARIANT) == len(warm)),
    )
    exact, approximate = (
        ("not supported", "partly", "partly", "supported")[2 * cold + hot] for cold, hot in sides
    )
    evidence = (f"{p} T: {beside_nulls(tables, r)}" for r, p in zip(rows, phases, strict=True))
    return Verdicts(exact, approximate, "; ".join(evidence))


def homogeneity(groups):
    """(p, I^2) of one-way ANOVA of beta across points, each group the seeds' betas of one
    point: p of the F test (beta the same at every point), and I^2 = 1 - 1/F, the share of
    the spread between points beyond what the spread within points explains (Higgins &
    Thompson 2002, with Cochran's Q = (points - 1) F at the pooled within-point variance).
    (nan, nan) with fewer than two points of two seeds."""
    groups = [g for g in groups if len(g) >= 2]
    if len(groups) < 2:
        return np.nan, np.nan
    f, p = stats.f_oneway(*groups)
    return float(p), max(0.0, 1 - 1 / f) if f > 0 else 0.0


SAME_EXPONENT_AXES = {"threshold"}  # where the paper says beta itself does not change


def robustness(tables, experiments):
    """Exact: over every sweep point and hidden layer (last snapshot, training split), the
    share whose CSN passes are plausible for an exact power law: supported >= 80 %, partly
    >= 50 %. Approximate, per sweep and layer, *the result survives*: its base experiment
    and every point reach `weak` in most seeds, and where the paper says the exponent
    itself stays (the threshold; seeds are within points) beta does not differ between the
    base and the points (one-way ANOVA of beta at the layer's common x_min, p >= 0.05;
    I^2 reported); supported when every (sweep, layer) survives, partly when half do."""
    if tables.sweeps.height == 0:
        evidence = "no sweeps configured (run workflow/configs/robustness.yaml)"
        return Verdicts(NOT_TESTABLE, NOT_TESTABLE, evidence)
    points = with_support(last_hidden_layers(tables.sweeps))
    bases = {
        (row["point"], row["layer"]): row
        for row in layers(tables.fits, sorted({row["base"] for row in points if row["base"]}))
    }
    passing = [row for row in points if row["support"] in ("whole range", "tail")]
    share = len(passing) / len(points)
    exact = "supported" if share >= 0.8 else "partly" if share >= 0.5 else "not supported"
    words = [f"exact: {len(passing)} of {len(points)} (point, layer) pass plausibly"]
    axes = {}
    for row in sorted(points, key=lambda row: row["value"]):  # the points by their values
        axes.setdefault((row["sweep"], row["layer"]), []).append(row)
    survived = 0
    for (sweep, layer), rows in sorted(axes.items()):
        base = bases.get((rows[0]["base"], layer))
        members = rows + ([base] if base else [])
        reach = base is not None and reaching(members, SCALE_INVARIANT) == len(members)
        p, i2 = homogeneity([m["betas_common"] for m in members])
        same_beta = not set(rows[0]["axis"]) <= SAME_EXPONENT_AXES
        same_beta = same_beta or not p < CONSISTENT
        survived += reach and same_beta
        classes = ", ".join(row["evidence"] for row in rows)
        words.append(
            f"{sweep} {layer}: base {base['evidence'] if base else 'not run'}, points "
            f"{classes}; beta ANOVA p = {p:.2f}, I^2 = {i2:.2f}"
        )
    approximate = share_verdict(survived, len(axes))
    words[0] += f"; approximate: {survived} of {len(axes)} (sweep, layer) survive"
    return Verdicts(exact, approximate, "; ".join(words))


NEAR_FRONTIER = 0.9  # H(K) / frontier at or above which a layer sits near it (C7)
FRONTIER_BETA_AGREEMENT = 0.2  # |beta - beta_frontier| / beta_frontier within which they agree


MATCHED_SHARE = 0.5  # of a null's draws within tolerance for its delta to be read as matched


def beside_matched_nulls(rows):
    """A layer's relevance beside its nulls (`analysis.relevance` rows): `; beside its
    nulls, H(K) - null: random_bits +0.24 [+0.16, +0.32] nats (p 0.006), ...`, a null not
    matched in distinct count and H(Z) given by its H(Z) instead, a distance, not a test."""
    words = []
    for row in rows.iter_rows(named=True):
        if row["matched"] >= MATCHED_SHARE:
            words.append(f"{row['null']} {row['delta_H_K']:+.2f}")
            if row["delta_low"] is not None:
                words[-1] += (
                    f" [{row['delta_low']:+.2f}, {row['delta_high']:+.2f}] nats "
                    f"(p {row['p_paired']:.3f})"
                )
        else:
            words.append(
                f"{row['null']} not matched (H(Z) {row['H_Z_null']:.2f} against "
                f"{row['H_Z_network']:.2f})"
            )
    return f"; beside its nulls, H(K) - null: {', '.join(words)}" if words else ""


def relevance(tables, experiments):
    """Sec. III on the exact frontier (`scaleinv.stats.frontier`: the largest H(K) over
    integer m(k) at the layer's M and H(Z), in the information tables as `relevance_max`).
    Approximate reading: each trained hidden layer's H(K) over the frontier (per seed);
    supported when every layer reaches NEAR_FRONTIER, partly when half do. Exact reading,
    the paper's quantitative prediction: a maximally relevant sample at resolution H(Z) has
    m(k) ~ k^(-beta-1) with beta minus the frontier's slope there (`beta_frontier`); a
    layer agrees when its fitted beta (median over seeds) is within FRONTIER_BETA_AGREEMENT
    of it. Below the frontier's diagonal stretch (every size one code) no power law is
    predicted at all, so such a layer cannot agree. Each layer is read beside its nulls
    matched in M, distinct count and H(Z) (`analysis.relevance`: seed-paired H(K)
    differences), which inform the verdict without changing its rule."""
    info = last_hidden_layers(tables.information.filter(pl.col("experiment").is_in(experiments)))
    if info.height == 0:
        return Verdicts(NOT_TESTABLE, NOT_TESTABLE, "no trained layers")
    own = {target: members for target, members in tables.nulls.items() if target in experiments}
    nulls = relevance_table(tables.information, own)
    fitted = tables.fits.filter(pl.col("status") == "ok").select(*GROUP, "beta")
    info = info.join(fitted, on=GROUP, how="left").sort("experiment", "layer", "seed")
    info = info.with_columns((pl.col("H_K") / pl.col("relevance_max")).alias("ratio"))
    near, agree, words = 0, 0, []
    for (experiment, layer), part in info.group_by("experiment", "layer", maintain_order=True):
        ratios = part["ratio"].to_numpy()
        near += bool(np.all(ratios >= NEAR_FRONTIER))
        beta = part["beta"].drop_nulls().median()
        frontier = part["beta_frontier"].median()
        agrees = beta is not None and frontier > 0
        agrees = agrees and abs(beta - frontier) <= FRONTIER_BETA_AGREEMENT * frontier
        agree += agrees
        fitted_beta = "no fit" if beta is None else f"{beta:.2f}"
        words.append(
            f"{experiment} {layer}, {part.height} seed{'s' if part.height > 1 else ''}: "
            f"H(K) / frontier {ratios.min():.2f}-{ratios.max():.2f} at H(Z) "
            f"{part['H_Z'].min():.2f}-{part['H_Z'].max():.2f} nats (gap "
            f"{(part['relevance_max'] - part['H_K']).clip(0).median():.2f} nats); "
            f"beta {fitted_beta} against the frontier's {frontier:.2f}"
            + beside_matched_nulls(nulls.filter(experiment=experiment, layer=layer))
        )
    groups = info.select("experiment", "layer").unique().height
    approximate = share_verdict(near, groups)
    exact = share_verdict(agree, groups)
    return Verdicts(exact, approximate, "; ".join(words))


RULES = {
    rule.__name__: rule for rule in (power_law, control, learning, ising, robustness, relevance)
}
"""The rules the claims catalog (`scaleinv.plan.claims.CLAIMS`) names: (Tables, experiment
ids) -> Verdicts."""


def substituted_data(fits, claim, experiments):
    """Where a claim's experiments ran on other data than the paper's: `on fashion_mnist:
    rbm (the paper used mnist)`, from each experiment's `kind` and `dataset` columns and the
    paper's dataset (the claim's `paper_dataset`, else the kind's); "" where all are the
    paper's."""
    ran = fits.filter(pl.col("experiment").is_in(experiments)).select("kind", "dataset")
    words = []
    for kind, dataset in sorted(ran.unique().rows(), key=str):
        paper = claim.paper_dataset or (KINDS[kind].paper_dataset if kind in KINDS else None)
        if paper and dataset and dataset != paper:
            words.append(f"on {dataset}: {kind} (the paper used {paper})")
    return "; ".join(words)


def claims_table(tables, experiments):
    """One row per claim; experiments: {claim id: the experiment ids it rests on}."""
    rows = []
    for claim in CLAIMS:
        ids = experiments.get(claim.id, [])
        verdicts = RULES[claim.decide](tables, ids)
        substitutions = substituted_data(tables.fits, claim, ids)
        if substitutions:
            verdicts = replace(verdicts, evidence=f"{substitutions}; {verdicts.evidence}")
        rows.append(
            {
                "claim": claim.id,
                "text": claim.text,
                "experiments": ", ".join(ids),
                "verdict": verdicts.approximate,
                "verdict_exact": verdicts.exact,
                "evidence": verdicts.evidence,
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


def write_claims(fits_paths, information_paths, sweep_paths, experiments, critical_window, path):
    """results/claims.tsv from the tables of the experiments the claims rest on (and of
    their nulls and the sweeps' bases; `plan.claims.claims_job`); critical_window: the
    relative half-width of the window around T_c (C5)."""
    fits = _stack(fits_paths, {**FIT_COLUMNS, **COMPARISON_COLUMNS})
    information = _stack(
        information_paths,
        {
            "M": pl.Int64,
            "distinct": pl.Int64,
            "H_Z": pl.Float64,
            "H_K": pl.Float64,
            "relevance_max": pl.Float64,
            "beta_frontier": pl.Float64,
        },  # fmt: skip
    )
    columns = [*GROUP, *FIT_COLUMNS]
    sweeps = [read_frame(p, columns).select(columns) for p in sweep_paths]
    sweeps = pl.concat(sweeps, how="diagonal") if sweeps else pl.DataFrame()
    tables = Tables(fits, information, sweeps, critical_window)
    write_tsv(claims_table(tables, experiments), path)
