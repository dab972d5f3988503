"""A fitted discrete power law as one object, the way users of the `powerlaw` package (Alstott
et al. 2014) and R's `poweRlaw` (Gillespie 2015) know it, a thin object over
`scaleinv.stats`: the fit after Clauset, Shalizi & Newman (2009, "CSN"), its bootstrap
p-value, likelihood-ratio tests against rivals, the evidence class, and plots.

    >>> import numpy as np
    >>> from scaleinv.powerlaw import Fit
    >>> fit = Fit(np.random.default_rng(0).zipf(2.5, 5000))
    >>> round(fit.power_law.alpha, 1), fit.power_law.xmin
    (2.5, 1)

Needs only numpy and scipy; matplotlib only when a plot is drawn. The names `powerlaw`
users know map onto the native ones: docs/coming-from-powerlaw.md.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from scaleinv.errors import ScaleinvError
from scaleinv.stats.alternatives import (
    ALTERNATIVES,
    RIVAL_LAWS,
    Comparison,
    Floats,
    RivalLaw,
    compare,
    likelihood_ratio,
    power_law_logpmf,
)
from scaleinv.stats.layer import FitSettings, evidence, fit_layer, group_seed
from scaleinv.stats.powerlaw_fit import PowerLawFit, bootstrap_test, fit, log_norm, tail_mass
from scaleinv.stats.relevance import resolution
from scaleinv.stats.sample import LARGEST, positive_integers, show

if TYPE_CHECKING:
    from collections.abc import Iterable

    from matplotlib.axes import Axes

__all__ = [
    "ALTERNATIVES",
    "BootstrapCI",
    "Comparison",
    "Fit",
    "FitWarning",
    "Law",
    "PValue",
    "positive_integers",
]

# The workflow's `analysis` defaults (workflow/schemas/config.schema.yaml), so that
# `Fit.report` gives the row the workflow would.
DEFAULTS = FitSettings()
MAX_REPLICATES = 100_000  # as analysis.bootstrap's schema maximum
_KEY = ("sample", 0, 0, "sample", "sample")  # seeds the bootstrap as a fits row's stream
# The `powerlaw` package's names of the rivals -> ours.
RIVAL_NAMES = {
    "lognormal": "lognormal",
    "exponential": "exponential",
    "truncated_power_law": "cutoff",
    "cutoff": "cutoff",
    "stretched_exponential": "stretched_exponential",
}
PLOTS_MISSING = "plotting needs matplotlib, which is not installed; pip install 'scaleinv[plots]'"


class FitWarning(UserWarning):
    """A Fit whose numbers are no power-law fit (`Fit.warnings`): alpha at a search bound,
    or a law over less than a decade."""


class PValue(float):
    """CSN's bootstrap p-value (a float: it compares, formats and computes as p) with what
    poweRlaw's `bootstrap_p` also returns: its 95 % Monte Carlo interval, the replicates
    drawn, the seconds taken and the seed. `sequential` says whether the test stopped once
    its decision at p = 0.1 was settled (`replicates` < `maximum` then)."""

    interval: tuple[float, float]
    replicates: int
    maximum: int
    seconds: float
    seed: int
    sequential: bool

    def __new__(
        cls,
        p: float,
        interval: tuple[float, float],
        replicates: int,
        maximum: int,
        seconds: float,
        seed: int,
        sequential: bool,
    ) -> PValue:
        value = super().__new__(cls, p)
        value.interval, value.replicates, value.maximum = interval, replicates, maximum
        value.seconds, value.seed, value.sequential = seconds, seed, sequential
        return value

    @property
    def p(self) -> float:
        return float(self)

    def __repr__(self) -> str:
        low, high = self.interval
        return (
            f"PValue(p={float(self)!r}, interval=({low:.3g}, {high:.3g}), replicates="
            f"{self.replicates}, maximum={self.maximum}, seconds={self.seconds:.3g}, "
            f"seed={self.seed}, sequential={self.sequential})"
        )

    __str__ = float.__repr__

    def __reduce__(self) -> tuple[type[PValue], tuple[Any, ...]]:
        """Pickled with its fields (multiprocessing sends results so: without this a pool's
        result handler died and `map` hung)."""
        fields = (self.interval, self.replicates, self.maximum, self.seconds, self.seed)
        return PValue, (float(self), *fields, self.sequential)


@dataclass(frozen=True)
class BootstrapCI:
    """Percentile intervals of alpha and x_min over refits of resampled data (poweRlaw's
    `bootstrap`), and the replicates themselves."""

    alpha: tuple[float, float]
    xmin: tuple[float, float]
    alphas: np.ndarray
    xmins: np.ndarray
    level: float


class Law:
    """One fitted law of a Fit on its tail [x_min, x_max]: the power law (`fit.power_law`)
    or a rival (`fit.lognormal`, ...), as the `powerlaw` package's distribution objects.
    Its parameters are attributes (`.alpha`, `.mu`, `.sigma`, `.Lambda` or `.lambda_`) and
    `.params`; `ccdf(k)`, `pmf(k)` and the plots give it on the integers k >= x_min, as a
    share of the tail."""

    def __init__(self, fit: Fit, name: str, params: dict[str, float]) -> None:
        self.fit, self.name, self.params = fit, name, params

    def __getattr__(self, name: str) -> float:
        key = {"Lambda": "lambda", "lambda_": "lambda"}.get(name, name)
        params = self.__dict__.get("params", {})
        if key in params:
            return float(params[key])
        raise AttributeError(
            f"{self.__class__.__name__} {self.__dict__.get('name')!r} has no {name!r}"
        )

    @property
    def xmin(self) -> int:
        """The smallest size the law describes (the Fit's x_min)."""
        return self.fit.xmin

    @property
    def xmax(self) -> int | None:
        """The largest size the law describes, or None (the Fit's x_max)."""
        return self.fit.xmax

    def __repr__(self) -> str:
        shown = ", ".join(f"{key}={value:.6g}" for key, value in self.params.items())
        return f"Law({self.name}: {shown}; x_min={self.fit.xmin}, x_max={self.fit.xmax})"

    def _sizes(self, k: object) -> np.ndarray:
        """k as float64 sizes, after checking each is an integer in [x_min, x_max]: the law
        is a distribution on its tail, so P(K >= 1) = 14 or a pmf above 1 is no answer."""
        sizes = positive_integers(np.atleast_1d(np.asarray(k, dtype=object)), "k")
        top = np.inf if self.xmax is None else self.xmax
        outside = sizes[(sizes < self.xmin) | (sizes > top)]
        if len(outside):
            raise ScaleinvError(
                f"k = {outside[0]} lies outside the law's tail [x_min, x_max] = [{self.xmin}, "
                f"{self.xmax if self.xmax is not None else 'inf'}]; give sizes in it"
            )
        return sizes.astype(np.float64)

    def ccdf(self, k: object) -> np.ndarray:
        """P(K >= k | K >= x_min) of the law at the integers k in [x_min, x_max]."""
        log_sf = _LAWS[self.name].log_sf(self._sizes(k), self.params, self.xmin, self.xmax)
        return np.exp(log_sf)

    def pmf(self, k: object) -> np.ndarray:
        """P(K = k | K >= x_min) of the law at the integers k in [x_min, x_max]."""
        return np.exp(self._logpmf(self._sizes(k)))

    def _logpmf(self, k: np.ndarray) -> Floats:
        return _LAWS[self.name].logpmf(k, self.params, self.xmin, self.xmax)

    def _grid(self) -> np.ndarray:
        """The tail's integers to draw the law at: up to 200, log-spaced."""
        top = float(self.fit.tail.max())
        return np.unique(np.geomspace(self.fit.xmin, top, 200).round())

    def label(self) -> str:
        if self.name == "power_law":
            return f"power law, alpha = {self.params['alpha']:.3f} +- {self.fit.se:.3f}"
        test = self.fit.compare(self.name)
        return f"{self.name} (R = {test.R:.3g}, p = {test.p:.2g})"

    def plot_ccdf(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """The law's P(K >= k) over the tail, times the tail's share of the sample (so that
        it meets the data's CCDF at x_min), as a line on `ax` or the current pyplot axes;
        `kwargs` go to `Axes.plot`."""
        ax = _axes(ax)
        k = self._grid() if self.name != "power_law" else np.unique(self.fit.tail)
        share = self.fit.n_tail / len(self.fit.sample)
        ax.loglog(k, share * self.ccdf(k), **_style(self.label(), _LINE_STYLES[self.name], kwargs))
        return ax

    def plot_pdf(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """The law's P(k) over the tail, times the tail's share of the sample, as a line."""
        ax = _axes(ax)
        k = self._grid()
        share = self.fit.n_tail / len(self.fit.sample)
        ax.loglog(k, share * self.pmf(k), **_style(self.label(), _LINE_STYLES[self.name], kwargs))
        return ax


# Every law a Law draws: the fitted power law (its alpha passed through), then the rivals.
_LAWS = {
    "power_law": RivalLaw(
        params=("alpha",),
        fit=lambda x, w, xmin, xmax, alpha: {"alpha": alpha},
        logpmf=lambda x, p, xmin, xmax: power_law_logpmf(x, p["alpha"], xmin, xmax),
        log_sf=lambda k, p, xmin, xmax: (
            np.log(tail_mass(p["alpha"], k, xmax)) - log_norm(p["alpha"], xmin, xmax)
        ),
    ),
    **RIVAL_LAWS,
}
# Matplotlib's full property names, so that a user's alias (ls, c, ms) replaces, not clashes.
_LINE_STYLES: dict[str, dict[str, Any]] = {  # the fitted laws' lines, one look per law
    "power_law": {"color": "C3", "linestyle": "-"},
    "lognormal": {"color": "C2", "linestyle": "--"},
    "exponential": {"color": "C4", "linestyle": ":"},
    "cutoff": {"color": "C1", "linestyle": "-."},
    "stretched_exponential": {"color": "C5", "linestyle": (0, (5, 1, 1, 1))},
}
_DATA_STYLE = {"marker": "o", "markersize": 3, "linestyle": "none", "color": "C0"}


def _style(label: str, defaults: dict[str, Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """A line's properties: the defaults, then the user's keywords (aliases normalised)."""
    from matplotlib import cbook
    from matplotlib.lines import Line2D

    return {"label": label, **defaults, **cbook.normalize_kwargs(kwargs, Line2D)}


class Fit:
    """The CSN power-law fit of a sample of positive integers (e.g. cluster sizes: how many
    inputs share each code), P(k) = k^-alpha / Z for x_min <= k <= x_max.

    Args:
        data: the sizes, integers >= 1 (any numeric dtype, checked exactly).
        discrete: True; the data are integers (there is no continuous fit here).
        xmin: None (or "auto") chooses x_min by the smallest KS distance (CSN sec. 3.3);
            (low, high) chooses it so among the sizes in [low, high] (the `powerlaw`
            package's range); an integer fixes it (1: a claim about the whole range).
        xmax: the law's upper end (sizes above it are left out); None for none.
        min_tail: fewest sizes at or above a candidate x_min.
        verbose: taken for the `powerlaw` package's scripts; nothing is printed either way.

    Raises:
        ScaleinvError: a value that is not an integer >= 1, or no x_min leaves `min_tail` sizes.
    """

    def __init__(
        self,
        data: Iterable[int] | np.ndarray,
        discrete: bool = True,
        xmin: Literal["auto"] | int | tuple[int, int] | None = None,
        xmax: int | None = None,
        min_tail: int = DEFAULTS.min_tail,
        verbose: bool = False,
    ) -> None:
        if not (isinstance(discrete, bool | np.bool_) and discrete):
            raise ScaleinvError(
                "scaleinv fits discrete data only (cluster sizes are counts); pass integers "
                "with discrete=True, or use the powerlaw package for continuous data"
            )
        self.sample = positive_integers(data)
        self.xmin_range = _xmin_range(xmin) if isinstance(xmin, tuple | list) else None
        if isinstance(xmin, str) and xmin == "auto" or isinstance(xmin, tuple | list):
            xmin = None
        if xmin is not None and _not_a_size(xmin):
            raise ScaleinvError(
                "xmin must be None, 'auto', an integer in [1, 2^63 - 1] or a (low, high) "
                f"range of them (got {show(xmin)})"
            )
        if xmax is not None and _not_a_size(xmax):
            raise ScaleinvError(f"xmax must be None or an integer in [1, 2^63 - 1] (got {xmax!r})")
        if isinstance(min_tail, bool) or not isinstance(min_tail, int | np.integer) or min_tail < 2:
            raise ScaleinvError(f"min_tail must be an integer >= 2 (got {min_tail!r})")
        self.min_tail = int(min_tail)
        self._fixed_xmin = xmin is not None
        with np.errstate(all="ignore"):  # an underflowing tail is flagged in `warnings`
            result = fit(self.sample, self.min_tail, xmin, xmax, self.xmin_range)
        if result is None:
            raise ScaleinvError(_no_fit(self.sample, xmin, xmax, min_tail, self.xmin_range))
        for warning in result.warnings:
            warnings.warn(f"not a power-law fit: {warning}", FitWarning, stacklevel=2)
        self.result: PowerLawFit = result
        self._tests: dict[str, Comparison] | None = None

    @property
    def warnings(self) -> tuple[str, ...]:
        """Why this is not a power-law fit, in words (empty: nothing to say): alpha at a bound
        of the search (`at_bound`), x_max or the tail's largest size less than a decade above
        x_min, or a standard error that is not finite (PowerLawFit.warnings). Each is also
        issued as a FitWarning when the Fit is made."""
        return tuple(self.result.warnings)

    @property
    def at_bound(self) -> bool:
        """Whether alpha is a bound of the search (stats.powerlaw_fit.ALPHA_RANGE), not an
        estimate: a tail that does not decay, such as uniform sizes, gives alpha = 30."""
        return bool(self.result.at_bound)

    @property
    def alpha(self) -> float:
        """The exponent: P(k) ~ k^-alpha."""
        return float(self.result.alpha)

    @property
    def beta(self) -> float:
        """The paper's exponent, alpha - 1: m(k), the number of codes of size k, ~ k^(-beta-1)."""
        return self.alpha - 1

    @property
    def se(self) -> float:
        """The standard error of alpha (CSN eq. 3.6)."""
        return float(self.result.se)

    sigma = se  # the `powerlaw` package's name

    @property
    def xmin(self) -> int:
        """The smallest size the law describes."""
        return int(self.result.xmin)

    @property
    def xmax(self) -> int | None:
        """The largest size the law describes, or None (unbounded)."""
        return self.result.xmax

    @property
    def n_tail(self) -> int:
        """The number of sizes in [x_min, x_max]."""
        return int(self.result.n_tail)

    @property
    def D(self) -> float:  # the name `powerlaw` users know
        """The KS distance of the tail from the fitted law."""
        return float(self.result.ks_d)

    @property
    def tail(self) -> np.ndarray:
        """The sizes the law describes, those in [x_min, x_max]."""
        top = self.xmax if self.xmax is not None else np.inf
        return self.sample[(self.sample >= self.xmin) & (self.sample <= top)]

    @property
    def power_law(self) -> Law:
        """The fitted power law as a Law: .alpha, .sigma, .xmin, .xmax, .D (`powerlaw`'s
        `fit.power_law`)."""
        return Law(self, "power_law", {"alpha": self.alpha, "sigma": self.se, "D": self.D})

    def rival(self, name: str) -> Law:
        """Rival `name` (one of ALTERNATIVES, or the `powerlaw` package's name for it)
        fitted to the tail by maximum likelihood, as a Law with its parameters."""
        name = _rival_name(name)
        return Law(self, name, self.compare(name).params)

    lognormal = property(lambda self: self.rival("lognormal"), doc="The lognormal rival.")
    exponential = property(lambda self: self.rival("exponential"), doc="The exponential rival.")
    truncated_power_law = property(
        lambda self: self.rival("cutoff"), doc="The power law with exponential cutoff."
    )
    stretched_exponential = property(
        lambda self: self.rival("stretched_exponential"), doc="The stretched exponential."
    )

    def __repr__(self) -> str:
        return (
            f"Fit(alpha={self.alpha:.4f}, se={self.se:.4f}, xmin={self.xmin}, "
            f"xmax={self.xmax}, n_tail={self.n_tail}, n={len(self.sample)})"
        )

    def p_value(
        self,
        replicates: int = DEFAULTS.bootstrap,
        seed: int = DEFAULTS.seed,
        threads: int = 1,
        sequential: bool = True,
    ) -> PValue:
        """CSN's goodness-of-fit p-value (sec. 4.1): the share of semiparametric bootstrap
        replicates whose refit lies at least as far from its law (KS distance) as this one.
        p < 0.1 rules the power law out. A fixed x_min stays fixed in every refit.

        `sequential` (the default, as in the workflow and `scaleinv fit`) stops drawing once
        the decision at p = 0.1 is settled with resampling risk 1e-3 (scaleinv.stats.
        sequential); False draws all `replicates`, the fixed test of CSN and poweRlaw. The
        same seed gives the p-value of `report()` and of `scaleinv fit`."""
        _checked(replicates=replicates, seed=seed, threads=threads)
        if not isinstance(sequential, bool | np.bool_):
            raise ScaleinvError(f"sequential must be True or False (got {show(sequential)})")
        start = time.perf_counter()
        test, _ = bootstrap_test(
            self.sample,
            self.result,
            replicates,
            group_seed(seed, _KEY),
            self.min_tail,
            threads,
            self._fixed_xmin,
            DEFAULTS.resampling_risk if sequential else None,
            self.xmin_range,
        )
        return PValue(
            test.p,
            (test.low, test.high),
            test.replicates,
            replicates,
            time.perf_counter() - start,
            seed,
            sequential,
        )

    def compare(self, name: str) -> Comparison:
        """The likelihood-ratio test of the power law against rival `name` (one of
        ALTERNATIVES: lognormal, exponential, cutoff, stretched_exponential; or the `powerlaw`
        package's truncated_power_law) on the same tail: R (> 0 favours the power law), p,
        CSN's normalised ratio R / (sigma sqrt n) and the rival's fitted parameters."""
        name = _rival_name(name)
        if self._tests is None:
            with np.errstate(all="ignore"):  # optimisers probe where a rival underflows
                self._tests = compare(self.tail, self.alpha, self.xmin, self.xmax)
        return self._tests[name]

    def distribution_compare(
        self, dist1: str, dist2: str, normalized_ratio: bool = False
    ) -> tuple[float, float]:
        """(R, p) of `dist1` against `dist2` on the tail, as the `powerlaw` package gives it
        (R > 0 favours `dist1`; `normalized_ratio`: R / (sigma sqrt n) instead of R). Each is
        "power_law" or a rival; the power law against the cutoff law is the nested test."""
        first, second = (_law_name(dist1), _law_name(dist2))
        if first == second:
            raise ScaleinvError(
                f"distribution_compare needs two different laws (got {dist1!r} twice)"
            )
        if "power_law" in (first, second):
            test = self.compare(second if first == "power_law" else first)
            sign = 1 if first == "power_law" else -1
            return sign * (test.normalized_R if normalized_ratio else test.R), test.p
        x, counts = np.unique(self.tail, return_counts=True)
        log_a, log_b = (self.rival(name)._logpmf(x) for name in (first, second))
        ratio, p, normalized = likelihood_ratio(log_a, log_b, counts)
        return (normalized if normalized_ratio else ratio), p

    def bootstrap_ci(
        self, replicates: int = 200, seed: int = 0, level: float = 0.95, threads: int = 1
    ) -> BootstrapCI:
        """Uncertainty of alpha and x_min together (poweRlaw's `bootstrap`): the sample is
        resampled with replacement and refitted, x_min chosen anew unless it was given; the
        percentile interval of each at `level`. Replicates with no x_min are left out."""
        rng = np.random.default_rng(_checked(replicates=replicates, seed=seed, threads=threads))
        if isinstance(level, bool) or not isinstance(level, float | int) or not 0 < level < 1:
            raise ScaleinvError(f"level must lie strictly between 0 and 1 (got {show(level)})")
        given = self.xmin if self._fixed_xmin else None
        refits = [
            fit(rng.choice(self.sample, n), self.min_tail, given, self.xmax, self.xmin_range)
            for n in [len(self.sample)] * replicates
        ]
        found = [refit for refit in refits if refit is not None]
        if not found:
            raise ScaleinvError("no bootstrap replicate could be fitted; give a larger sample")
        alphas = np.array([refit.alpha for refit in found])
        xmins = np.array([refit.xmin for refit in found], np.float64)
        tails = [50 * (1 - level), 50 * (1 + level)]
        low_alpha, high_alpha = np.percentile(alphas, tails)
        low_xmin, high_xmin = np.percentile(xmins, tails)
        return BootstrapCI(
            alpha=(float(low_alpha), float(high_alpha)),
            xmin=(float(low_xmin), float(high_xmin)),
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
        if self.xmin_range is not None:
            raise ScaleinvError(
                "report() gives the workflow's row, whose x_min search has no range; make the "
                "Fit with xmin=None or an integer"
            )
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
        return k, self.n_tail / len(self.sample) * self.power_law.ccdf(k)

    def plot_ccdf(self, ax: Axes | None = None, rivals: Iterable[str] = (), **kwargs: Any) -> Axes:
        """The empirical CCDF as markers, the fitted law over its tail as a line, x_min
        marked (CSN's way of showing a fit), and each of `rivals` (names of ALTERNATIVES) as
        a line of its own; on `ax`, else on the current pyplot axes. `kwargs` style the
        markers (matplotlib's `Axes.plot`); each Law's `plot_ccdf` styles its own line.
        Returns the axes."""
        laws = [self.rival(name) for name in _rival_list(rivals)]
        ax = _axes(ax)
        k, ccdf = self.ccdf()
        ax.loglog(k, ccdf, **_style(f"sample ({len(self.sample)} sizes)", _DATA_STYLE, kwargs))
        self.power_law.plot_ccdf(ax)
        for law in laws:
            law.plot_ccdf(ax)
        ax.set_ylim(ccdf.min() / 5, 2)  # the data's range: a rival may fall off by 1e-60
        ax.axvline(self.xmin, color="grey", ls=":", lw=0.8, label=f"x_min = {self.xmin}")
        ax.set_xlabel("size k (inputs sharing a code)")
        ax.set_ylabel("P(K >= k) (share of the sample)")
        ax.legend(frameon=False, fontsize="small", loc="lower left")
        return ax

    def pdf(self, bins_per_decade: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """(bin centre, density) of the sample in logarithmic bins over the integers: the
        count in each bin over the sample size and the integers it spans."""
        if (
            isinstance(bins_per_decade, bool)
            or not isinstance(bins_per_decade, int | np.integer)
            or not 1 <= bins_per_decade <= 1000
        ):
            raise ScaleinvError(
                f"bins_per_decade must be an integer in [1, 1000] (got {show(bins_per_decade)})"
            )
        top = self.sample.max() + 1
        edges = np.unique(np.geomspace(1, top, int(np.log10(top) * bins_per_decade) + 2).round())
        counts, _ = np.histogram(self.sample, edges)
        keep = counts > 0
        width = np.diff(edges)
        centres = np.sqrt(edges[:-1] * (edges[1:] - 1))  # geometric mean of the bin's integers
        return centres[keep], counts[keep] / (len(self.sample) * width[keep])

    def plot_pdf(
        self,
        ax: Axes | None = None,
        bins_per_decade: int = 10,
        rivals: Iterable[str] = (),
        **kwargs: Any,
    ) -> Axes:
        """The log-binned density as markers and the fitted law's P(k), scaled by the tail's
        share, over the tail's integers as a line, and each of `rivals` likewise; `kwargs`
        style the markers. On `ax`, else the current pyplot axes; returns the axes."""
        laws = [self.rival(name) for name in _rival_list(rivals)]
        centres, density = self.pdf(bins_per_decade)
        ax = _axes(ax)
        ax.loglog(centres, density, **_style("sample, log bins", _DATA_STYLE, kwargs))
        self.power_law.plot_pdf(ax)
        for law in laws:
            law.plot_pdf(ax)
        ax.set_ylim(density.min() / 5, density.max() * 5)  # the data's range, not a rival's
        ax.set_xlabel("size k (inputs sharing a code)")
        ax.set_ylabel("P(K = k) (share of the sample)")
        ax.legend(frameon=False, fontsize="small", loc="lower left")
        return ax


def _rival_list(rivals: object) -> list[str]:
    """`rivals` as a list of names, or one line (a bare string would be its letters)."""
    if isinstance(rivals, str) or not isinstance(rivals, list | tuple):
        raise ScaleinvError(
            f"rivals must be a list of names such as ['lognormal', 'cutoff'] (got {show(rivals)})"
        )
    return [_rival_name(name) for name in rivals]


def _rival_name(name: object) -> str:
    """Our name of rival `name` (ours or the `powerlaw` package's), or one line naming them."""
    if not isinstance(name, str) or name not in RIVAL_NAMES:
        raise ScaleinvError(
            f"unknown alternative {show(name)}; choose one of {ALTERNATIVES} "
            "(or truncated_power_law, the powerlaw package's name for cutoff)"
        )
    return RIVAL_NAMES[name]


def _law_name(name: object) -> str:
    return "power_law" if isinstance(name, str) and name == "power_law" else _rival_name(name)


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
    assert isinstance(seed, int | np.integer)  # checked above
    return int(seed)


def _not_a_size(value: object) -> bool:
    """Whether an x_min or x_max is not an integer in [1, 2^63 - 1] (a bool is not one)."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        return True
    return not 1 <= value <= LARGEST


def _xmin_range(value: tuple[object, ...]) -> tuple[int, int]:
    """An xmin=(low, high) range checked: two sizes, low <= high."""
    low, high = value if len(value) == 2 else (None, None)
    if (
        isinstance(low, int | np.integer)
        and isinstance(high, int | np.integer)
        and not (_not_a_size(low) or _not_a_size(high))
        and low <= high
    ):
        return int(low), int(high)
    raise ScaleinvError(
        "xmin as a range must be (low, high), integers in [1, 2^63 - 1] with low <= high "
        f"(got {show(value)})"
    )


def _no_fit(
    sample: np.ndarray,
    xmin: int | None,
    xmax: int | None,
    min_tail: int,
    xmin_range: tuple[int, int] | None = None,
) -> str:
    """Why `fit` found no x_min, in one line naming the setting to change."""
    top = int(sample.max())
    if xmin_range is not None:
        low, high = xmin_range
        if xmax is not None and xmax <= low:
            return f"xmax = {xmax} must be above the range's low end, xmin = ({low}, {high})"
        return (
            f"no size in xmin = ({low}, {high}) leaves {min_tail} sizes in a tail of two or "
            f"more distinct values (the sizes run from {sample.min()} to {top}); widen the range"
        )
    if xmax is not None and xmax < sample.min():
        return f"xmax = {xmax} is below the smallest size, {sample.min()}: no size is left"
    if xmin is not None and xmin >= top:
        return f"xmin = {xmin} leaves no two distinct sizes (the largest size is {top})"
    if xmax is not None and xmin is not None and xmax <= xmin:
        return f"xmax = {xmax} must be above xmin = {xmin}"
    kept = sample[(sample >= (xmin or 1)) & (sample <= (xmax or top))]
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
    """`ax`, or pyplot's current axes (as the `powerlaw` package draws), so that
    `fit.plot_ccdf(); plt.savefig(...)` saves the plot. matplotlib is imported only here."""
    try:
        from matplotlib import pyplot
        from matplotlib.axes import Axes
    except ImportError:
        raise ScaleinvError(PLOTS_MISSING) from None
    if ax is None:
        return pyplot.gca()
    if not isinstance(ax, Axes):
        raise ScaleinvError(f"ax must be matplotlib Axes, e.g. plt.gca() (got {show(ax)})")
    return ax
