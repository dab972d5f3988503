"""Subsampled scaling: is a layer's code scale-free, or is its power law an accident of M?

One trained network, never retrained: its inputs are subsampled (without replacement,
seeded) to each M of a list, R times, and each subsample's cluster sizes are fitted and
classified exactly as a fits row (`fits.fit_row`, the evidence ladder). Across M, the
occupancy theory of a scale-free code says what to expect (Karlin 1967; Gnedin, Hansen &
Pitman 2007, Probab. Surveys 4:146, sec. 2): if the code frequencies vary regularly with
index b in (0, 1),

- the number of distinct codes grows as K(M) ~ M^b (Heaps' law): `heaps`, h;
- the number of codes of size k falls as m(k) ~ k^(-b-1), so the tail's beta is b too:
  `consistency` = beta - h is about 0 (GHP 2007, Prop. 17 with Karlin's Thm. 1');
- m(k) / K(M) at fixed small k tends to the Sibuya law b Gamma(k - b) / (Gamma(1 - b) k!)
  (GHP 2007, eq. 27): `sibuya_param`, `p_sibuya`.

Finitely many codes (k-means' boxes) saturate, h -> 0; codes that are nearly all distinct
give h ~ 1 with any beta. The largest clusters grow ~ M whatever the code, so the cutoff's
scale 1/lambda ~ M^`cutoff_b` is reported but decides nothing.

Subsamples of the same (seed, epoch, split, M, replicate) take the same inputs in every
layer and in every experiment with the same sample ids, so a network and its null codes are
compared on the same inputs.
"""

import logging
import threading
import time
import zlib
from dataclasses import dataclass, replace

import numpy as np
import polars as pl
import pyarrow.parquet as pq
from scipy import optimize, special, stats

from scaleinv.analysis.degeneracy import sizes_of
from scaleinv.analysis.fits import (
    ROW_SCHEMA,
    fit_row,
    with_evidence,
    with_facts,
)
from scaleinv.codes import read_layer, read_metadata
from scaleinv.errors import ScaleinvError
from scaleinv.stats import scaling_test
from scaleinv.stats.ladder import consensus
from scaleinv.stats.layer import group_seed
from scaleinv.stats.powerlaw_fit import SIGNIFICANCE
from scaleinv.stats.relevance import resolution
from scaleinv.stats.scaling_test import ScalingPair, log_log_slope, plan, subsample  # noqa: F401
from scaleinv.tables import GROUP, write_table, write_tsv

log = logging.getLogger(__name__)

PROGRESS_SECONDS = 30  # a progress line at least this often (long jobs on a cluster)
SUBSAMPLE = [*GROUP, "M", "replicate"]  # the key of a subsample's row
SIBUYA_RANGE = (1e-3, 1 - 1e-6)  # the Sibuya law needs 0 < b < 1
MIN_EXPECTED = 5  # Sibuya G-test: pool the top bins until each expects this many codes


@dataclass(frozen=True)
class ScalingSettings:
    """The `scaling` settings of config.yaml (schema: workflow/schemas/config.schema.yaml)."""

    sizes: tuple[int, ...]  # the subsample sizes M, increasing
    replicates: int  # subsamples per M (one where M is every input)
    splits: tuple[str, ...]  # the splits analysed (train, test)
    sibuya_max_k: int  # the Sibuya law is fitted to m(k) for k <= this
    seed: int  # of the subsamples (and of each subsample's bootstrap)
    pair_draws: int = 200  # draws of the occupancy pair test (0: no test)

    @classmethod
    def from_config(cls, scaling, seed):
        """From the validated `scaling` block and the analysis seed."""
        return cls(
            sizes=tuple(sorted(scaling["sizes"])),
            replicates=scaling["replicates"],
            splits=tuple(scaling["splits"]),
            sibuya_max_k=scaling["sibuya_max_k"],
            seed=seed,
            pair_draws=scaling.get("pair_draws", cls.pair_draws),
        )


def subsample_stream(seed, key, size, replicate):
    """The random stream of one subsample: `key` is (seed, epoch, split), without experiment
    and layer, so every layer and experiment of the same inputs gets the same subsample."""
    return group_seed(seed, ("subsample", *key, size, replicate))


def degeneracy_of(code_ids):
    """(k, m) frame of integer code ids: m codes of each size k, sorted by k."""
    sizes = np.bincount(code_ids)
    return degeneracy_of_sizes(sizes[sizes > 0])


def degeneracy_of_sizes(sizes):
    """(k, m) frame of cluster sizes, sorted by k (the degeneracy table's types)."""
    k, m = np.unique(sizes, return_counts=True)
    return pl.DataFrame({"k": k.astype(np.uint32), "m": m.astype(np.uint32)})


def sibuya_logpmf(k, b):
    """log of the Sibuya law b Gamma(k - b) / (Gamma(1 - b) k!), k >= 1 (GHP 2007, eq. 27)."""
    k = np.asarray(k, np.float64)
    return np.log(b) + special.gammaln(k - b) - special.gammaln(1 - b) - special.gammaln(k + 1)


@dataclass(frozen=True)
class SibuyaFit:
    param: float  # b of the Sibuya law, by maximum likelihood over k <= k_max
    se: float  # its standard error (observed information); nan at a bound
    p_value: float  # G-test of m(1..k_max) against the fitted law; nan: too few codes


def fit_sibuya(k, m, k_max):
    """The Sibuya law fitted to the share of codes of each size k <= k_max, m(k) / K, as a
    law truncated to 1..k_max (the limit holds at fixed k, not in the tail, GHP 2007), and
    the G-test of the counts against it (bins pooled from the top until each expects
    MIN_EXPECTED codes; degrees of freedom: bins - 2, for the total and b)."""
    counts = np.zeros(k_max)
    inside = np.asarray(k) <= k_max
    counts[np.asarray(k)[inside] - 1] = np.asarray(m)[inside]
    sizes = np.arange(1, k_max + 1)

    def log_likelihood(b):
        log_p = sibuya_logpmf(sizes, b)
        return float(np.dot(counts, log_p - special.logsumexp(log_p)))

    best = optimize.minimize_scalar(
        lambda b: -log_likelihood(b),
        bounds=SIBUYA_RANGE,
        method="bounded",
        options={"xatol": 1e-9},
    )
    b = float(best.x)
    step = 1e-4
    se = np.nan
    if SIBUYA_RANGE[0] + step < b < SIBUYA_RANGE[1] - step:
        curvature = log_likelihood(b + step) - 2 * log_likelihood(b) + log_likelihood(b - step)
        se = float(np.sqrt(-(step**2) / curvature)) if curvature < 0 else np.nan
    log_p = sibuya_logpmf(sizes, b)
    expected = counts.sum() * np.exp(log_p - special.logsumexp(log_p))
    observed, expected = _pool_top(counts, expected)
    dof = len(observed) - 2
    p_value = np.nan
    if dof >= 1:
        # G = 2 sum O log(O / E), asymptotically chi-square (Sokal & Rohlf, Biometry, 17.1)
        g = 2 * np.sum(special.xlogy(observed, observed) - special.xlogy(observed, expected))
        p_value = float(stats.chi2.sf(g, dof))
    return SibuyaFit(b, se, p_value)


def _pool_top(observed, expected):
    """Merge the highest bins into one until it expects at least MIN_EXPECTED codes."""
    observed, expected = list(observed), list(expected)
    while len(expected) > 1 and expected[-1] < MIN_EXPECTED:
        top_expected, top_observed = expected.pop(), observed.pop()
        expected[-1] += top_expected
        observed[-1] += top_observed
    return np.array(observed), np.array(expected)


def crossing(sizes, p_values, level=SIGNIFICANCE):
    """The M at which the median p first falls from >= level to below it, interpolated
    linearly in log M (None: it never does)."""
    for i in range(len(sizes) - 1):
        (m0, m1), (p0, p1) = sizes[i : i + 2], p_values[i : i + 2]
        if p0 >= level > p1:
            share = (p0 - level) / (p0 - p1)
            return float(np.exp(np.log(m0) + share * (np.log(m1) - np.log(m0))))
    return None


class Progress:
    """Logs the share of subsamples done after each one, and every PROGRESS_SECONDS from a
    background thread, so a single long fit still shows the job alive."""

    def __init__(self, label, total):
        self.label, self.total, self.done = label, total, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def __enter__(self):
        self.start = time.monotonic()
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        self.thread.join()

    def step(self):
        self.done += 1
        self.line()

    def line(self):
        share = self.done / self.total if self.total else 1.0
        elapsed = time.monotonic() - self.start
        log.info(
            "%s: %d/%d subsamples fitted (%.0f %%, %.0f s)",
            self.label,
            self.done,
            self.total,
            100 * share,
            elapsed,
        )

    def _beat(self):
        while not self.stop.wait(PROGRESS_SECONDS):
            self.line()


def subsample_rows(key, code_ids, settings, fit_settings, code, threads, progress):
    """Fits rows (ROW_SCHEMA plus M, replicate, distinct, H_Z, the Sibuya fit) of every
    subsample of one group; `key` its GROUP values, `code_ids` one integer per input."""
    _, seed, epoch, _, split = key
    rows, sizes = [], {}
    for size, replicate in plan(len(code_ids), settings.sizes, settings.replicates):
        rng = subsample_stream(settings.seed, (seed, epoch, split), size, replicate)
        degeneracy = degeneracy_of(code_ids[subsample(len(code_ids), size, rng)])
        # Each subsample its own bootstrap stream (fit_row seeds by settings.seed and key).
        bootstrap_seed = zlib.crc32(f"{fit_settings.seed}/M{size}/r{replicate}".encode())
        sizes[(*key, size, replicate)] = sizes_of(degeneracy)
        row = fit_row(
            key,
            sizes[(*key, size, replicate)],
            replace(fit_settings, seed=bootstrap_seed),
            code,
            threads,
        )
        sibuya = fit_sibuya(
            degeneracy["k"].to_numpy(), degeneracy["m"].to_numpy(), settings.sibuya_max_k
        )
        row.update(
            M=size,
            replicate=replicate,
            distinct=int(degeneracy["m"].sum()),
            H_Z=resolution(degeneracy["k"].to_numpy(), degeneracy["m"].to_numpy())[2],
            sibuya_param=sibuya.param,
            sibuya_se=sibuya.se,
            p_sibuya=sibuya.p_value,
        )
        rows.append(row)
        progress.step()
    return rows, sizes


SUBSAMPLE_SCHEMA = {
    **{name: ROW_SCHEMA[name] for name in GROUP},
    "M": pl.Int64,  # inputs in the subsample
    "replicate": pl.Int32,
    **{name: dtype for name, dtype in ROW_SCHEMA.items() if name not in GROUP},
    "distinct": pl.Int64,  # codes among the M inputs
    "H_Z": pl.Float64,
    "sibuya_param": pl.Float64,  # the Sibuya law's b over k <= sibuya_max_k
    "sibuya_se": pl.Float64,
    "p_sibuya": pl.Float64,
}
SCHEMA = {**SUBSAMPLE_SCHEMA, "evidence": pl.String}
SIBUYA = ["sibuya_param", "sibuya_se", "p_sibuya"]
DEGENERACY = [*SUBSAMPLE, "k", "m"]  # m(k) of every subsample, for the rescaled CCDFs
SUMMARY_SCHEMA = {  # results/scaling/{experiment}.tsv: one row per (seed, epoch, layer, split)
    **{name: ROW_SCHEMA[name] for name in GROUP[1:]},
    "heaps": pl.Float64,  # h of K(M) ~ M^h, least squares over every subsample
    "heaps_low": pl.Float64,  # its 95 % interval
    "heaps_high": pl.Float64,
    "beta": pl.Float64,  # median over replicates at the largest M
    "beta_drift": pl.Float64,  # beta at the largest M minus beta at the smallest
    "consistency": pl.Float64,  # beta - heaps: descriptive, decides nothing (p_occupancy_pair)
    "p_occupancy_pair": pl.Float64,  # (h, beta) against the fitted law's draws (null: no test)
    "null_beta": pl.Float64,  # the law drawn from: beta (BETA_MAX where the fit was above)
    "null_lambda_min": pl.Float64,  # its rarest code's rate at the largest M
    "null_codes": pl.Float64,  # N of its code space (inf: unbounded)
    "cutoff_b": pl.Float64,  # 1/lambda ~ M^cutoff_b
    "m50": pl.Float64,  # M where the median p falls below 0.1; null: it never does
    "sibuya_param": pl.Float64,  # medians over replicates at the largest M
    "sibuya_se": pl.Float64,
    "p_sibuya": pl.Float64,
    "evidence": pl.String,  # the class most replicates reach at the largest M
    "distinct": pl.Int64,  # median codes at the largest M
}


def code_ids(path, layer, split):
    """One integer per input of a layer and split of a codes file (equal codes, equal ids),
    in the order of the sample ids."""
    samples, bits = read_layer(path, layer, split)
    packed = np.ascontiguousarray(np.packbits(bits[np.argsort(samples, kind="stable")], axis=1))
    as_bytes = packed.view(np.dtype((np.void, max(packed.shape[1], 1)))).ravel()
    return np.unique(as_bytes, return_inverse=True)[1].ravel()


def groups(sources, splits):
    """(GROUP key, codes path, layer, split) of every group the sources hold in `splits`;
    sources: (experiment, seed, epoch, path) as for `scan_codes`."""
    found = []
    for experiment, seed, epoch, path in sources:
        layers = read_metadata(path)["widths"]
        present = set(pq.read_table(path, columns=["split"])["split"].unique().to_pylist())
        found += [
            ((experiment, seed, epoch, layer, split), path, layer, split)
            for layer in layers
            for split in splits
            if split in present
        ]
    return found


def read_code_ids(sources, splits):
    """{GROUP key: code ids} of every layer of the codes files `sources` in `splits`."""
    return {
        key: code_ids(path, layer, split) for key, path, layer, split in groups(sources, splits)
    }


def scaling_table(ids, settings, fit_settings, code="", threads=1):
    """(one row per subsample (SCHEMA), its m(k) (DEGENERACY)) of every group of `ids`
    ({GROUP key: one code id per input}), each subsample fitted and classified as a fits
    row."""
    total = sum(len(plan(len(i), settings.sizes, settings.replicates)) for i in ids.values())
    if not total:
        raise ScaleinvError(
            f"no subsample: no layer has inputs in scaling.splits {list(settings.splits)}; "
            "name a split the codes files hold"
        )
    rows, sizes = [], {}
    label = ", ".join(sorted({key[0] for key in ids}))
    with Progress(label, total) as progress:
        for key, group_ids in ids.items():
            more_rows, more_sizes = subsample_rows(
                key, group_ids, settings, fit_settings, code, threads, progress
            )
            rows += more_rows
            sizes.update(more_sizes)
    table = with_evidence(pl.DataFrame(rows, schema=SUBSAMPLE_SCHEMA))
    degeneracy = pl.concat(
        pl.DataFrame({name: [value] for name, value in zip(SUBSAMPLE, key, strict=True)})
        .cast({name: SUBSAMPLE_SCHEMA[name] for name in SUBSAMPLE})
        .join(degeneracy_of_sizes(group), how="cross")
        for key, group in sizes.items()
    )
    table = table.with_columns(pl.col(SIBUYA).fill_nan(None))  # null: no test
    return table.select(list(SCHEMA)).sort(SUBSAMPLE), degeneracy.sort(SUBSAMPLE)


def summarise(group):
    """The summary row (SUMMARY_SCHEMA, without the GROUP columns) of one group's subsamples."""
    by_m = (
        group.group_by("M")
        .agg(
            pl.col("beta").median(),
            pl.col("p_value").median(),
            pl.col("distinct").median(),
            pl.col("sibuya_param").median(),
            pl.col("sibuya_se").median(),
            pl.col("p_sibuya").median(),
            pl.col("evidence"),
        )
        .sort("M")
    )
    smallest, largest = by_m.row(0, named=True), by_m.row(-1, named=True)
    heaps = log_log_slope(group["M"], group["distinct"])
    cut = group.filter(pl.col("cutoff_scale").is_finite() & (pl.col("cutoff_scale") > 0))
    beta = largest["beta"]
    fitted = by_m.filter(pl.col("p_value").is_not_null())
    drift = None if beta is None or smallest["beta"] is None else beta - smallest["beta"]
    return {
        "heaps": heaps.value,
        "heaps_low": heaps.low,
        "heaps_high": heaps.high,
        "beta": beta,
        "beta_drift": drift,
        "consistency": None if beta is None else beta - heaps.value,
        "cutoff_b": log_log_slope(cut["M"], cut["cutoff_scale"]).value,
        "m50": crossing(fitted["M"].to_list(), fitted["p_value"].to_list()),
        "sibuya_param": largest["sibuya_param"],
        "sibuya_se": largest["sibuya_se"],
        "p_sibuya": largest["p_sibuya"],
        "evidence": consensus(largest["evidence"]),
        "distinct": int(largest["distinct"]),
    }


def summary_table(table):
    """One row per (seed, epoch, layer, split) of a scaling table (SUMMARY_SCHEMA less the
    pair test's columns, which `with_pair_tests` adds)."""
    rows = [
        {**dict(zip(GROUP[1:], key, strict=True)), **summarise(group)}
        for key, group in table.group_by(GROUP[1:], maintain_order=True)
    ]
    schema = {name: dtype for name, dtype in SUMMARY_SCHEMA.items() if name not in PAIR_COLUMNS}
    frame = pl.DataFrame(rows, schema=schema)
    return frame.with_columns(pl.col(pl.Float64).fill_nan(None))


PAIR_COLUMNS = ["p_occupancy_pair", "null_beta", "null_lambda_min", "null_codes"]
PAIRS_SCHEMA = {  # results/scaling/{experiment}.pairs.parquet: the draws of every pair test
    **{name: ROW_SCHEMA[name] for name in GROUP},
    "draw": pl.Int32,
    "heaps": pl.Float64,  # h of the draw
    "beta": pl.Float64,  # its CSN beta at the largest M (null: no tail fit)
}


def law_sizes(degeneracy, key):
    """The cluster sizes the pair test's law is fitted to: group `key`'s first subsample at
    its largest M (all its inputs where the largest M is every input)."""
    group = degeneracy.filter(
        *(pl.col(name) == value for name, value in zip(GROUP, key, strict=True)),
        pl.col("replicate") == 0,
    )
    group = group.filter(pl.col("M") == group["M"].max())
    return np.repeat(group["k"].to_numpy().astype(np.int64), group["m"].to_numpy())


def with_pair_tests(summary, ids, degeneracy, settings, fit_settings):
    """(`summary` with PAIR_COLUMNS, the draws (PAIRS_SCHEMA)): each group's observed
    (heaps, beta) tested against `settings.pair_draws` draws of the occupancy law fitted at
    its largest M (`scaleinv.stats.scaling_test`); ids: {GROUP key: code ids}, degeneracy:
    the subsamples' m(k). No test (nulls) where the group has no h or no beta, or where
    pair_draws is 0."""
    results, draws = {}, []
    for key, group_ids in ids.items():
        found = summary.filter(
            *(pl.col(name) == value for name, value in zip(GROUP[1:], key[1:], strict=True))
        )
        if not settings.pair_draws or found.height == 0:
            continue
        row = found.row(0, named=True)
        if row["heaps"] is None or row["beta"] is None:
            continue
        law = scaling_test.null_law(law_sizes(degeneracy, key))
        test = scaling_test.pair_test(
            ScalingPair(row["heaps"], row["beta"]),
            law,
            len(group_ids),
            settings.sizes,
            settings.replicates,
            fit_settings,
            settings.pair_draws,
            group_seed(settings.seed, ("occupancy pair", *key)),
        )
        log.info("%s: occupancy pair p = %.3f", "/".join(map(str, key)), test.p_value)
        results[key[1:]] = (test.p_value, law.beta, law.lambda_min, test.codes)
        draws.append(
            pl.DataFrame(
                {
                    **{
                        name: [value] * len(test.heaps)
                        for name, value in zip(GROUP, key, strict=True)
                    },
                    "draw": np.arange(len(test.heaps)),
                    "heaps": test.heaps,
                    "beta": test.beta,
                },
                schema=PAIRS_SCHEMA,
            )
        )
    tested = pl.DataFrame(
        [dict(zip(GROUP[1:], key, strict=True)) | dict(zip(PAIR_COLUMNS, value, strict=True))
         for key, value in results.items()],
        schema={**{name: SUMMARY_SCHEMA[name] for name in GROUP[1:]},
                **{name: pl.Float64 for name in PAIR_COLUMNS}},
    )  # fmt: skip
    summary = summary.join(tested, on=GROUP[1:], how="left", maintain_order="left")
    draws = pl.concat(draws) if draws else pl.DataFrame(schema=PAIRS_SCHEMA)
    return summary.select(list(SUMMARY_SCHEMA)).fill_nan(None), draws.fill_nan(None)


def write_scaling(sources, settings, fit_settings, code, threads, paths, facts=None):
    """The scaling tables of one experiment's codes files `sources` ((experiment, seed,
    epoch, path)): `paths` names where the subsamples' rows (`table`, with the experiment's
    `facts` as a fits table has them: `fits.with_facts`), their m(k) (`degeneracy`), the
    per-layer summary (`summary`, TSV) with its occupancy pair test, and that test's draws
    (`pairs`) go."""
    ids = read_code_ids(sources, settings.splits)
    table, degeneracy = scaling_table(ids, settings, fit_settings, code, threads)
    summary, pairs = with_pair_tests(summary_table(table), ids, degeneracy, settings, fit_settings)
    write_table(degeneracy, paths["degeneracy"])
    write_table(pairs, paths["pairs"])
    write_table(with_facts(table, facts), paths["table"])
    write_tsv(summary, paths["summary"])
