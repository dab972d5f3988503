"""scaleinv.powerlaw.Fit: the object power-law users know, checked against the `powerlaw`
package, against the functions it wraps, and like an instrument over many seeds."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
from scipy import special

from scaleinv.errors import ScaleinvError
from scaleinv.powerlaw import Fit
from scaleinv.stats.alternatives import ALTERNATIVES, compare
from scaleinv.stats.powerlaw_fit import bootstrap_p_value, fit, sample_power_law

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


def mixed_sample(seed, alpha=2.6, xmin=3, n=3000):
    """A power law from x_min with a non-power-law body below it."""
    rng = np.random.default_rng(seed)
    return np.concatenate([sample_power_law(alpha, xmin, n, rng), rng.integers(1, xmin, n // 5)])


@pytest.mark.slow
def test_agrees_with_the_powerlaw_package():
    import powerlaw

    sample = mixed_sample(7)
    ours = Fit(sample)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = powerlaw.Fit(sample, discrete=True, estimate_discrete=False, verbose=False)
    assert ours.xmin == theirs.xmin
    assert ours.alpha == pytest.approx(theirs.alpha, abs=1e-3)
    assert ours.beta == pytest.approx(ours.alpha - 1)
    assert ours.D == pytest.approx(theirs.power_law.D, abs=1e-3)
    assert ours.n_tail == np.count_nonzero(sample >= ours.xmin)
    R, p = theirs.distribution_compare("power_law", "exponential", normalized_ratio=False)
    assert ours.compare("exponential").R == pytest.approx(R, rel=0.02)


def test_wraps_the_workflow_functions_exactly():
    sample = mixed_sample(1)
    ours, theirs = Fit(sample, xmax=400), fit(sample, 10, None, 400)
    assert (ours.alpha, ours.se, ours.xmin, ours.n_tail, ours.xmax) == (
        theirs.alpha,
        theirs.se,
        theirs.xmin,
        theirs.n_tail,
        400,
    )
    tail = sample[(sample >= theirs.xmin) & (sample <= 400)]
    tests = compare(tail, theirs.alpha, theirs.xmin, 400)
    assert {name: tuple(ours.compare(name)) for name in ALTERNATIVES} == tests
    p = bootstrap_p_value(sample, theirs, 16, np.random.default_rng(5))
    assert ours.p_value(replicates=16, seed=5) == p


def test_a_given_xmin_is_kept():
    fixed = Fit(mixed_sample(2), xmin=1)
    assert fixed.xmin == 1 and fixed.n_tail == len(fixed.sample)


@pytest.mark.parametrize(
    "sample,message",
    [
        ([3, 2, 2.5, 7], "holds 2.5 (position 3), not an integer >= 1"),
        ([3, 0, 4], "holds 0 (position 2), not an integer >= 1"),
        ([3, -2, 4], "holds -2 (position 2), not an integer >= 1"),
        (["3", "x"], "holds '3' (position 1), a str, not an integer >= 1"),
        ([], "holds no sizes"),
        ([5] * 20, "a tail of fewer than two distinct sizes has no power law to fit"),
        ([1, 2, 3] * 3, "no x_min leaves 10 sizes"),
    ],
)
def test_bad_samples_are_refused_in_one_line(sample, message):
    with pytest.raises(ScaleinvError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Fit(sample)


def test_an_unknown_alternative_names_the_known_ones():
    with pytest.raises(ScaleinvError, match="unknown alternative 'gamma'; choose one of"):
        Fit(mixed_sample(3)).compare("gamma")


def test_plot_ccdf_draws_the_data_and_the_exact_tail_sums():
    sample = mixed_sample(4, n=800)
    result = Fit(sample)
    ax = result.plot_ccdf()
    points, law = ax.lines[0], ax.lines[1]
    values = np.unique(sample)
    np.testing.assert_array_equal(points.get_xdata(), values)
    np.testing.assert_array_equal(points.get_ydata(), [np.mean(sample >= v) for v in values])
    k = np.unique(sample[sample >= result.xmin])
    np.testing.assert_array_equal(law.get_xdata(), k)
    # sum_{j >= k} j^-alpha over sum_{j >= x_min}, by the Hurwitz zeta, times the tail's share
    exact = special.zeta(result.alpha, k) / special.zeta(result.alpha, result.xmin)
    np.testing.assert_allclose(law.get_ydata(), exact * result.n_tail / len(sample), rtol=1e-12)
    assert law.get_ydata()[0] == pytest.approx(np.mean(sample >= result.xmin), rel=1e-12)
    assert ax.get_xscale() == ax.get_yscale() == "log" and points.get_linestyle() == "None"
    assert "k" in ax.get_xlabel() and "P(K >= k)" in ax.get_ylabel()


def test_plot_pdf_bins_sum_to_the_sample_and_draw_on_given_axes():
    from matplotlib.figure import Figure

    sample = mixed_sample(5, n=2000)
    ax = Figure().add_subplot()
    assert Fit(sample).plot_pdf(ax) is ax
    centres, density = Fit(sample).pdf()
    assert np.all(np.diff(centres) > 0) and np.all(density > 0)
    top = sample.max() + 1
    edges = np.unique(np.geomspace(1, top, int(np.log10(top) * 10) + 2).round())
    counts, _ = np.histogram(sample, edges)
    width = np.diff(edges)[counts > 0]
    assert np.sum(density * width) == pytest.approx(1.0)


@pytest.mark.slow
def test_bootstrap_ci_covers_the_true_exponent_at_its_level():
    """40 samples of a known law (alpha 2.5 from x_min 4, a uniform body below): the 90 %
    intervals cover alpha in 30-40 of them (Binomial(40, 0.9): P(< 30) = 0.007), and x_min's
    interval holds the true x_min mostly."""
    covered = xmin_covered = 0
    for seed in range(40):
        rng = np.random.default_rng(seed)
        sample = np.concatenate([sample_power_law(2.5, 4, 1500, rng), rng.integers(1, 4, 300)])
        ci = Fit(sample).bootstrap_ci(replicates=60, seed=seed, level=0.9)
        covered += ci.alpha[0] <= 2.5 <= ci.alpha[1]
        xmin_covered += ci.xmin[0] <= 4 <= ci.xmin[1]
        assert len(ci.alphas) == 60 and ci.level == 0.9
    assert covered >= 30 and xmin_covered >= 30, (covered, xmin_covered)


@pytest.mark.slow
def test_report_gives_the_workflow_row_and_evidence_class():
    result = Fit(sample_power_law(2.5, 1, 2000, np.random.default_rng(9)))
    row = result.report(replicates=50)
    assert row["status"] == "ok" and row["xmin"] == result.xmin and row["M"] == result.sample.sum()
    assert row["alpha"] == result.alpha and row["distinct"] == len(result.sample)
    assert row["evidence"] in ("weakest", "weak", "strong", "strongest")


def test_the_core_imports_no_plotting_workflow_or_torch():
    script = (
        "import sys, scaleinv.powerlaw, scaleinv.analysis.degeneracy, scaleinv.analysis.information;"
        "print(sorted(m for m in ('matplotlib', 'torch', 'snakemake', 'sklearn', 'numba', 'yaml',"
        " 'jsonschema') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
