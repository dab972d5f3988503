"""A fitted discrete power law as one object, the way users of the `powerlaw` package (Alstott
et al. 2014) and R's `poweRlaw` (Gillespie 2015) know it, a thin object over
`scaleinv.stats`: the fit after Clauset, Shalizi & Newman (2009, "CSN"), its bootstrap
p-value, likelihood-ratio tests against alternatives, the evidence class, and plots.

    >>> import numpy as np
    >>> from scaleinv.powerlaw import Fit
    >>> fit = Fit(np.random.default_rng(0).zipf(2.5, 5000))
    >>> round(fit.alpha, 1), fit.xmin
    (2.5, 1)

Needs only numpy and scipy; matplotlib only when a plot is drawn.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np

from scaleinv.errors import ScaleinvError
from scaleinv.stats.alternatives import ALTERNATIVES, compare
from scaleinv.stats.layer import FitSettings, evidence, fit_layer, group_seed
from scaleinv.stats.powerlaw_fit import PowerLawFit, bootstrap_p_value, fit, tail_mass
from scaleinv.stats.relevance import resolution
from scaleinv.stats.sample import LARGEST, positive_integers

if TYPE_CHECKING:
    from collections.abc import Iterable

    from matplotlib.axes import Axes

__all__ = ["ALTERNATIVES", "BootstrapCI", "Comparison", "Fit", "FitWarning", "positive_integers"]

# The workflow's `analysis` defaults (workflow/schemas/config.schema.yaml), so that
# `Fit.report` gives the row the workflow would.
DEFAULTS = FitSettings()
MAX_REPLICATES = 100_000  # as analysis.bootstrap's schema maximum
_KEY = ("sample", 0, 0, "sample", "sample")  # seeds `report`'s streams as a fits row's


class FitWarning(UserWarning):
    """A Fit whose numbers are no power-law fit (`Fit.warnings`): alpha at a search bound,
    or a law over less than a decade."""


class Comparison(NamedTuple):
    """A likelihood-ratio test: R > 0 favours the power law, p is the significance of R's
    sign (CSN sec. 5; for the nested cutoff law, of -2R under chi2(1))."""

    R: float
    p: float


@dataclass(frozen=True)
class BootstrapCI:
    """Percentile intervals of alpha and x_min over refits of resampled data (poweRlaw's
    `bootstrap`), and the replicates themselves."""

    alpha: tuple[float, float]
    xmin: tuple[float, float]
    alphas: np.ndarray
    xmins: np.ndarray
    level: float


class Fit:
    """The CSN power-law fit of a sample of positive integers (e.g. cluster sizes: how many
    inputs share each code), P(k) = k^-alpha / Z for x_min <= k <= x_max.

    Args:
        sample: the sizes, integers >= 1.
        xmin: "auto" chooses x_min by the smallest KS distance (CSN sec. 3.3); an integer fixes
            it (1: a claim about the whole range).
        xmax: the law's upper end (sizes above it are left out); None for none.
        min_tail: fewest sizes at or above a candidate x_min.

    Raises:
        ScaleinvError: a value that is not an integer >= 1, or no x_min leaves `min_tail` sizes.
    """

    def __init__(
        self,
        sample: Iterable[int] | np.ndarray,
        xmin: Literal["auto"] | int = "auto",
        xmax: int | None = None,
        min_tail: int = DEFAULTS.min_tail,
    ) -> None:
        self.sample = positive_integers(sample)
        if xmin != "auto" and _not_a_size(xmin):
            raise ScaleinvError(
                f"xmin must be 'auto' or an integer in [1, 2^63 - 1] (got {xmin!r})"
            )
        if xmax is not None and _not_a_size(xmax):
            raise ScaleinvError(f"xmax must be None or an integer in [1, 2^63 - 1] (got {xmax!r})")
        self.min_tail = min_tail
        self._fixed_xmin = xmin != "auto"
        result = fit(self.sample, min_tail, None if xmin == "auto" else int(xmin), xmax)
        if result is None:
            raise ScaleinvError(_no_fit(self.sample, xmin, xmax, min_tail))
        for warning in result.warnings:
            warnings.warn(f"not a power-law fit: {warning}", FitWarning, stacklevel=2)
        self.result: PowerLawFit = result
        self._tests: dict[str, tuple[float, float]] | None = None

    @property
    def warnings(self) -> tuple[str, ...]:
        """Why this is not a power-law fit, in words (empty: nothing to say): alpha at a bound
        of the search (`at_bound`), or x_max less than a decade above x_min. Each is also
        issued as a FitWarning when the Fit is made."""
        return self.result.warnings

    @property
    def at_bound(self) -> bool:
        """Whether alpha is a bound of the search (stats.powerlaw_fit.ALPHA_RANGE), not an
        estimate: a tail that does not decay, such as uniform sizes, gives alpha = 30."""
        return self.result.at_bound

    @property
    def alpha(self) -> float:
        """The exponent: P(k) ~ k^-alpha."""
        return self.result.alpha

    @property
    def beta(self) -> float:
        """The paper's exponent, alpha - 1: m(k), the number of codes of size k, ~ k^(-beta-1)."""
        return self.result.alpha - 1

    @property
    def se(self) -> float:
        """The standard error of alpha (CSN eq. 3.6)."""
        return self.result.se

    @property
    def xmin(self) -> int:
        """The smallest size the law describes."""
        return self.result.xmin

    @property
    def xmax(self) -> int | None:
        """The largest size the law describes, or None (unbounded)."""
        return self.result.xmax

    @property
    def n_tail(self) -> int:
        """The number of sizes in [x_min, x_max]."""
        return self.result.n_tail

    @property
    def D(self) -> float:  # the name `powerlaw` users know
        """The KS distance of the tail from the fitted law."""
        return self.result.ks_d

    @property
    def tail(self) -> np.ndarray:
        """The sizes the law describes, those in [x_min, x_max]."""
        top = self.xmax if self.xmax is not None else np.inf
        return self.sample[(self.sample >= self.xmin) & (self.sample <= top)]

    def __repr__(self) -> str:
        return (
            f"Fit(alpha={self.alpha:.4f}, se={self.se:.4f}, xmin={self.xmin}, "
            f"xmax={self.xmax}, n_tail={self.n_tail}, n={len(self.sample)})"
        )

    def p_value(self, replicates: int = 1000, seed: int = 0, threads: int = 1) -> float:
        """CSN's goodness-of-fit p-value (sec. 4.1): the share of semiparametric bootstrap
        replicates whose refit lies at least as far from its law (KS distance) as this one.
        p < 0.1 rules the power law out. A fixed x_min stays fixed in every refit."""
        rng = np.random.default_rng(_checked(replicates=replicates, seed=seed, threads=threads))
        return bootstrap_p_value(
            self.sample, self.result, replicates, rng, self.min_tail, threads, self._fixed_xmin
        )

    def compare(self, name: str) -> Comparison:
        """The likelihood-ratio test of the power law against `name` (one of ALTERNATIVES:
        lognormal, exponential, cutoff, stretched_exponential) on the same tail."""
        if name not in ALTERNATIVES:
            raise ScaleinvError(f"unknown alternative {name!r}; choose one of {ALTERNATIVES}")
        if self._tests is None:
            self._tests = compare(self.tail, self.alpha, self.xmin, self.xmax)
        return Comparison(*self._tests[name])

    def bootstrap_ci(
        self, replicates: int = 200, seed: int = 0, level: float = 0.95, threads: int = 1
    ) -> BootstrapCI:
        """Uncertainty of alpha and x_min together (poweRlaw's `bootstrap`): the sample is
        resampled with replacement and refitted, x_min chosen anew unless it was given; the
        percentile interval of each at `level`. Replicates with no x_min are left out."""
        rng = np.random.default_rng(_checked(replicates=replicates, seed=seed, threads=threads))
        if not 0 < level < 1:
            raise ScaleinvError(f"level must lie strictly between 0 and 1 (got {level!r})")
        given = self.xmin if self._fixed_xmin else None
        refits = [
            fit(rng.choice(self.sample, len(self.sample)), self.min_tail, given, self.xmax)
            for _ in range(replicates)
        ]
        found = [refit for refit in refits if refit is not None]
        if not found:
            raise ScaleinvError("no bootstrap replicate could be fitted; give a larger sample")
        alphas = np.array([refit.alpha for refit in found])
        xmins = np.array([refit.xmin for refit in found], np.float64)
        tails = [50 * (1 - level), 50 * (1 + level)]
        return BootstrapCI(
            alpha=tuple(np.percentile(alphas, tails)),
            xmin=tuple(np.percentile(xmins, tails)),
            alphas=alphas,
            xmins=xmins,
            level=level,
        )

    def report(
        self, replicates: int = DEFAULTS.bootstrap, seed: int = DEFAULTS.seed, threads: int = 1
    ) -> dict[str, object]:
        """What the workflow's fits table holds for a layer with these sizes
        (`scaleinv.stats.layer`): p-value, comparisons, effect sizes, tail indices, M,
        distinct and H_Z, and the evidence class (`evidence`, on the ladder of
        `scaleinv.stats.ladder`), under the workflow's default settings."""
        _checked(replicates=replicates, seed=seed, threads=threads)
        settings = replace(
            DEFAULTS,
            bootstrap=replicates,
            seed=seed,
            min_tail=self.min_tail,
            xmin=self.xmin if self._fixed_xmin else None,
            xmax=self.xmax,
        )
        layer = fit_layer(self.sample, settings, group_seed(seed, _KEY), threads)
        M, distinct, H_Z = resolution(*np.unique(self.sample, return_counts=True))
        return {
            **layer.as_row(),
            "M": M,
            "distinct": distinct,
            "H_Z": H_Z,
            "evidence": evidence(layer, M, distinct, H_Z),
        }

    def ccdf(self) -> tuple[np.ndarray, np.ndarray]:
        """(k, P(K >= k)) at each distinct size of the whole sample."""
        values, counts = np.unique(self.sample, return_counts=True)
        return values, np.cumsum(counts[::-1])[::-1] / len(self.sample)

    def fitted_ccdf(self) -> tuple[np.ndarray, np.ndarray]:
        """(k, P(K >= k)) of the fitted law at each distinct tail size: the exact tail sums
        sum_{j >= k} j^-alpha / Z (Hurwitz zeta), scaled by the tail's share of the sample
        so that it meets the empirical CCDF at x_min."""
        k = np.unique(self.tail)
        share = self.n_tail / len(self.sample)
        law = tail_mass(self.alpha, k, self.xmax) / tail_mass(self.alpha, self.xmin, self.xmax)
        return k, share * law

    def plot_ccdf(self, ax: Axes | None = None) -> Axes:
        """The empirical CCDF as markers, the fitted law over its tail as a line, x_min
        marked (CSN's way of showing a fit); on `ax`, or on a new figure's axes."""
        ax = _axes(ax)
        ax.loglog(*self.ccdf(), "o", ms=3, color="C0", label=f"sample ({len(self.sample)} sizes)")
        label = f"power law, alpha = {self.alpha:.3f} +- {self.se:.3f}"
        ax.loglog(*self.fitted_ccdf(), "-", color="C3", label=label)
        ax.axvline(self.xmin, color="grey", ls=":", lw=0.8, label=f"x_min = {self.xmin}")
        ax.set_xlabel("size k")
        ax.set_ylabel("P(K >= k) (share of the sample)")
        ax.legend(frameon=False, fontsize="small", loc="lower left")
        return ax

    def pdf(self, bins_per_decade: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """(bin centre, density) of the sample in logarithmic bins over the integers: the
        count in each bin over the sample size and the integers it spans."""
        top = self.sample.max() + 1
        edges = np.unique(np.geomspace(1, top, int(np.log10(top) * bins_per_decade) + 2).round())
        counts, _ = np.histogram(self.sample, edges)
        keep = counts > 0
        width = np.diff(edges)
        centres = np.sqrt(edges[:-1] * (edges[1:] - 1))  # geometric mean of the bin's integers
        return centres[keep], counts[keep] / (len(self.sample) * width[keep])

    def plot_pdf(self, ax: Axes | None = None, bins_per_decade: int = 10) -> Axes:
        """The log-binned density as markers and the fitted law's P(k), scaled by the tail's
        share, over the tail's integers as a line."""
        ax = _axes(ax)
        ax.loglog(*self.pdf(bins_per_decade), "o", ms=3, color="C0", label="sample, log bins")
        k = np.unique(np.geomspace(self.xmin, self.tail.max(), 200).round())
        share = self.n_tail / len(self.sample)
        law = share * k**-self.alpha / tail_mass(self.alpha, self.xmin, self.xmax)
        ax.loglog(k, law, "-", color="C3", label=f"power law, alpha = {self.alpha:.3f}")
        ax.set_xlabel("size k")
        ax.set_ylabel("P(K = k) (share of the sample)")
        ax.legend(frameon=False, fontsize="small", loc="lower left")
        return ax


def _checked(replicates: object, seed: object, threads: object) -> int:
    """`seed` after checking the counts a method is given: replicates in [1, MAX_REPLICATES],
    a seed >= 0, threads >= 1 (0 replicates divided by zero; 10^9 ran for days)."""
    for name, value, low, high in (
        ("replicates", replicates, 1, MAX_REPLICATES),
        ("seed", seed, 0, LARGEST),
        ("threads", threads, 1, 1024),
    ):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ScaleinvError(f"{name} must be an integer (got {value!r})")
        if not low <= value <= high:
            raise ScaleinvError(f"{name} must lie in [{low}, {high:,}] (got {value!r})")
    return int(seed)


def _not_a_size(value: object) -> bool:
    """Whether an x_min or x_max is not an integer in [1, 2^63 - 1] (a bool is not one)."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        return True
    return not 1 <= value <= LARGEST


def _no_fit(sample: np.ndarray, xmin: object, xmax: int | None, min_tail: int) -> str:
    """Why `fit` found no x_min, in one line naming the setting to change."""
    top = int(sample.max())
    if xmax is not None and xmax < sample.min():
        return f"xmax = {xmax} is below the smallest size, {sample.min()}: no size is left"
    if xmin != "auto" and xmin >= top:
        return f"xmin = {xmin} leaves no two distinct sizes (the largest size is {top})"
    if xmax is not None and xmin != "auto" and xmax <= xmin:
        return f"xmax = {xmax} must be above xmin = {xmin}"
    kept = sample[(sample >= (1 if xmin == "auto" else xmin)) & (sample <= (xmax or top))]
    distinct = len(np.unique(kept))
    if distinct < 2:
        return (
            f"the sizes in range all equal {kept[0] if len(kept) else top} ({len(kept)} of "
            f"{len(sample)}): a tail of fewer than two distinct sizes has no power law to fit"
        )
    return (
        f"no x_min leaves {min_tail} sizes in a tail of two or more distinct values "
        f"({len(kept)} sizes in range, {distinct} distinct); give a larger sample or a "
        "smaller min_tail"
    )


def _axes(ax: Axes | None) -> Axes:
    """`ax`, or the axes of a new figure (matplotlib imported only here)."""
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=(5, 4), layout="constrained").add_subplot()
