"""Issue 36: the library `scaleinv.powerlaw.Fit` and the `scaleinv fit` command under the
inputs a hostile user tries. Each case is one line naming the value (and where it is), a
non-zero exit where it is an error, no traceback, and the input left byte-identical; the
table of cases and messages is docs/input-validation.md's "The library and `scaleinv fit`"."""

import numpy as np
import pytest

from scaleinv.errors import ScaleinvError
from scaleinv.powerlaw import Fit, FitWarning, positive_integers
from scaleinv.stats.layer import FitSettings, fit_layer
from scaleinv.stats.powerlaw_fit import ALPHA_RANGE

ABOVE = "above 9223372036854775807 (2^63 - 1, the largest size int64 holds)"


# Item 1: one validation of a sample, exact before any cast.
@pytest.mark.parametrize(
    "values,message",
    [
        (np.array([3, 2**64 - 1], np.uint64), f"holds 18446744073709551615 (position 2), {ABOVE}"),
        ([3, 2**64 - 1], f"holds 18446744073709551615 (position 2), {ABOVE}"),
        ([3, 2**63], f"holds 9223372036854775808 (position 2), {ABOVE}"),
        ([1, 10**5000], f"holds an integer of about 5,001 digits (position 2), {ABOVE}"),
        (np.array([1, 1e20]), f"holds 1e+20 (position 2), {ABOVE}"),
        (np.array([2, 2.0**63]), f"holds 9.223372036854776e+18 (position 2), {ABOVE}"),
        ([4, float("nan")], "holds nan (position 2), not a finite number"),
        (np.array([4, 5, -np.inf]), "holds -inf (position 3), not a finite number"),
        ([True, 2], "holds True (position 1), a boolean, not a size"),
        ([2, np.bool_(False)], "holds False (position 2), a boolean, not a size"),
        (np.array([True, False]), "holds True (position 1), a boolean, not a size"),
        (np.array([1, 2**70], object), f"holds 1180591620717411303424 (position 2), {ABOVE}"),
        (np.array([1, "7"], object), "holds '7' (position 2), a str, not an integer >= 1"),
        ([1, None], "holds None (position 2), a NoneType, not an integer >= 1"),
        ([1, [2, 3]], "holds [2, 3] (position 2), a list, not an integer >= 1"),
        (np.array(["1", "2"]), "holds '1' (position 1), a str, not an integer >= 1"),
        (np.array([1 + 2j]), "holds (1+2j) (position 1), a complex, not an integer >= 1"),
        (np.array([5, 0], np.uint8), "holds 0 (position 2), not an integer >= 1"),
        ([1, np.float32(2.5)], "holds 2.5 (position 2), not an integer >= 1"),
        (np.zeros((2, 2)), "must be a one-dimensional list of sizes (got shape (2, 2))"),
        (5, "must be a sequence of sizes (got 5)"),
        ("123", "must be a sequence of sizes (got '123')"),
    ],
)
def test_a_value_that_is_not_a_size_is_named_with_its_position(values, message):
    with pytest.raises(ScaleinvError) as error:
        positive_integers(values)
    assert message in str(error.value) and "\n" not in str(error.value)
    assert len(str(error.value)) < 300


def test_a_long_value_is_cut_in_the_message():
    with pytest.raises(ScaleinvError) as error:
        positive_integers([2, "x" * 10**6])
    assert "(1,000,002 characters) (position 2)" in str(error.value)
    assert len(str(error.value)) < 200


@pytest.mark.parametrize(
    "values",
    [
        np.array([1, 2**63 - 1], np.uint64),
        [1, 2**63 - 1],
        np.array([1, 2**63 - 1], object),
        np.array([3.0, 2.0**62]),
        [1, 2.0, np.int8(3), np.uint64(4)],
        range(1, 5),
        (size for size in (1, 2)),
    ],
)
def test_every_numeric_kind_of_size_is_taken_exactly(values):
    taken = positive_integers(values)
    assert taken.dtype == np.int64 and taken.min() >= 1
    assert [int(v) for v in taken] == [int(v) for v in np.asarray(list(taken))]


def test_a_wrapped_size_never_reaches_the_fit():
    with pytest.raises(ScaleinvError, match=r"\(position 1\), above"):
        Fit(np.array([2**64 - 1] + [2] * 50 + [3] * 30, np.uint64))


# Item 3: fits that say when they are not fits.
UNIFORM = np.random.default_rng(0).integers(1, 101, 2000)
ZIPF = np.random.default_rng(0).zipf(2.5, 2000)


def test_alpha_at_the_search_bound_is_flagged_not_reported_as_a_fit():
    with pytest.warns(FitWarning, match="alpha = 30.0000 is a bound of the search"):
        fit = Fit(UNIFORM)
    assert fit.alpha == ALPHA_RANGE[1] and fit.at_bound
    assert fit.warnings == (
        "alpha = 30.0000 is a bound of the search (ALPHA_RANGE = 1.001 to 30), not an "
        f"estimate: the tail from x_min = {fit.xmin} does not decay like a power law",
    )
    layer = fit_layer(fit.sample, FitSettings(bootstrap=20), np.random.default_rng(0))
    assert layer.warning == fit.warnings[0] and layer.status == "ok"


def test_an_xmax_less_than_a_decade_above_xmin_is_flagged():
    with pytest.warns(FitWarning, match="x_max = 30 is less than a decade above x_min = 5"):
        fit = Fit(ZIPF, xmin=5, xmax=30)
    assert not fit.at_bound and len(fit.warnings) == 1


def test_a_power_law_has_no_warning(recwarn):
    fit = Fit(ZIPF)
    assert fit.warnings == () and not fit.at_bound and not recwarn.list
    assert (
        fit_layer(fit.sample, FitSettings(bootstrap=20), np.random.default_rng(0)).warning is None
    )


@pytest.mark.parametrize(
    "sample,settings,message",
    [
        ([5] * 40, {}, "the sizes in range all equal 5 (40 of 40): a tail of fewer than two"),
        (ZIPF, {"xmin": 10**6}, "xmin = 1000000 leaves no two distinct sizes (the largest"),
        (ZIPF, {"xmax": 2, "xmin": 3}, "xmax = 2 must be above xmin = 3"),
        ([4, 5, 6] * 10, {"xmax": 3}, "xmax = 3 is below the smallest size, 4: no size is left"),
        (ZIPF, {"xmax": 0}, "xmax must be None or an integer in [1, 2^63 - 1] (got 0)"),
        (ZIPF, {"xmax": True}, "xmax must be None or an integer in [1, 2^63 - 1] (got True)"),
        (ZIPF, {"xmax": 2**70}, "xmax must be None or an integer in [1, 2^63 - 1] (got 1180"),
        (ZIPF, {"xmin": 2.0}, "xmin must be 'auto' or an integer in [1, 2^63 - 1] (got 2.0)"),
    ],
)
def test_a_range_with_no_fit_names_the_setting(sample, settings, message):
    with pytest.raises(ScaleinvError) as error:
        Fit(sample, **settings)
    assert str(error.value).startswith(message)
