"""The binarization rules, known answers: the input cut, the hidden-layer rules and their
wording in the tables."""

import numpy as np
import pytest

from scaleinv.codes.binarization import (
    ACTIVATION,
    CLUSTER_ID,
    GIVEN,
    SAMPLED,
    activation_rule,
    describe,
    input_bits,
)
from scaleinv.plan.experiments import Experiment


def test_input_bits_are_strictly_above_half_the_range():
    x = np.array([[0.0, 0.49, 0.5, np.nextafter(np.float32(0.5), np.float32(1)), 1.0]], np.float32)
    bits = input_bits(x)
    assert bits.dtype == np.uint8 and bits.tolist() == [[0, 0, 0, 1, 1]]
    spins = np.array([[0, 1, 1, 0]], np.float32)  # Ising inputs are their own bits
    assert input_bits(spins).tolist() == [[0, 1, 1, 0]]


def test_sigmoid_layers_cut_at_the_threshold_without_computing_a_mean():
    def never():
        raise AssertionError("a sigmoid layer needs no layer mean")

    assert activation_rule("sigmoid", 0.4, never) == ("threshold", 0.4)


def test_relu_layers_cut_at_the_layer_mean():
    rng = np.random.default_rng(0)
    z = rng.exponential(2.0, (1000, 7))
    rule, cut = activation_rule("relu", 0.5, lambda: float(z.mean()))
    assert (rule, cut) == ("mean", pytest.approx(z.mean()))
    assert 0.3 < ((z > cut).mean()) < 0.45  # exponential: P(z > mean) = 1/e


@pytest.mark.parametrize(
    "args, words",
    [
        ((ACTIVATION, "sigmoid", 0.5), "sigmoid > 0.5"),
        ((ACTIVATION, "sigmoid", 0.4), "sigmoid > 0.4"),
        ((ACTIVATION, "sigmoid", 0.25), "sigmoid > 0.25"),
        ((ACTIVATION, "relu", 0.5), "relu > layer mean"),
        ((SAMPLED, None, None, "gibbs"), "gibbs"),
        ((SAMPLED, None, None, "probability"), "probability"),
        ((SAMPLED,), "sampled"),
        ((CLUSTER_ID,), "cluster id"),
        ((GIVEN,), "given"),
    ],
)
def test_describe_words_each_rule_as_the_tables_print_it(args, words):
    assert describe(*args) == words


@pytest.mark.parametrize(
    "settings, words",
    [
        ({"kind": "mlp", "activation": "sigmoid", "binarization": {"threshold": 0.5}}, "sigmoid > 0.5"),
        ({"kind": "ae", "activation": "relu", "binarization": {"threshold": 0.5}}, "relu > layer mean"),
        ({"kind": "ising_ae", "activation": "sigmoid", "binarization": {"threshold": 0.4}}, "sigmoid > 0.4"),
        ({"kind": "rbm", "code": "gibbs"}, "gibbs"),
        ({"kind": "kmeans", "clusters": 8}, "cluster id"),
        ({"kind": "external", "codes": "mine.parquet", "activation": "sigmoid"}, "given"),
        (
            {"kind": "external", "activations": "a.npz", "activation": "sigmoid",
             "binarization": {"threshold": 0.3}},
            "sigmoid > 0.3",
        ),
    ],
)  # fmt: skip
def test_an_experiments_code_definition_comes_from_describe(settings, words):
    assert Experiment("e", "e", "digits", settings).code_definition == words
