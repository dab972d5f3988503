"""Likelihood-ratio tests of a fitted power law against lognormal, exponential and cutoff laws."""

import numpy as np

from scaleinv.alternatives import compare
from scaleinv.powerlaw_fit import fit, sample_power_law


def test_lognormal_data_prefer_the_lognormal():
    rng = np.random.default_rng(3)
    sample = np.ceil(rng.lognormal(1.0, 1.5, 50_000)).astype(np.int64)
    result = fit(sample, min_tail=10)
    tail = sample[sample >= result.xmin]
    ratio, _ = compare(tail, result.alpha, result.xmin)["lognormal"]
    assert ratio < -10


def test_power_law_data_are_not_beaten_by_alternatives():
    rng = np.random.default_rng(5)
    sample = sample_power_law(2.2, 1, 5000, rng)
    result = fit(sample)
    tests = compare(sample[sample >= result.xmin], result.alpha, result.xmin)
    assert tests["exponential"][0] > 0 and tests["exponential"][1] < 0.01
    assert tests["cutoff"][1] > 0.01  # the nested test finds no significant cutoff
