"""Experiment ids from the config, and experiments as plain rule params."""

from conftest import tiny_experiments
from scaleinv.plan.experiments import Experiment, expand_experiments


def test_experiment_params_are_plain_data_whatever_the_key_order():
    """Snakemake reruns a job when repr(params) changes and ignores objects: an experiment
    goes to its rules as plain, key-sorted data, and comes back equal."""
    written = {"kind": "ae", "epochs": 2, "binarization": {"threshold": 0.4, "rule": "mean"}}
    reordered = {"binarization": {"rule": "mean", "threshold": 0.4}, "epochs": 2, "kind": "ae"}
    first = Experiment("ae", "ae", "digits", written)
    assert repr(first.as_params()) == repr(Experiment("ae", "ae", "digits", reordered).as_params())
    assert repr(first.as_params()) != repr(
        Experiment("ae", "ae", "digits", {**written, "epochs": 3}).as_params()
    )
    assert Experiment.from_params(first.as_params()) == first


def test_ising_experiments_expand_per_temperature_and_embeddings_are_not_experiments():
    config = {
        "ising": {"L": 10, "temperatures": ["1.53", "2.26"]},
        "experiments": {
            "ising_ae": {"kind": "ising_ae", "dataset": "ising", "snapshots": [20]},
            "mine": {"kind": "external", "dataset": "fashion_mnist", "snapshots": [3]},
            "tsne": {"kind": "tsne", "dataset": "digits"},
        },
    }
    expanded = expand_experiments(config)
    assert list(expanded) == ["ising_ae_T1.53", "ising_ae_T2.26", "mine"]
    hot = expanded["ising_ae_T2.26"]
    assert (hot.name, hot.dataset, hot.temperature, hot.snapshots) == (
        "ising_ae",
        "ising_L10_T2.26",
        "2.26",
        [20],
    )
    mine = expanded["mine"]
    assert (mine.dataset, mine.temperature, mine.snapshots) == ("", None, [0])  # trains nothing


def test_job_params_hold_only_the_keys_the_kind_reads():
    """The schema fills every experiment with the defaults of every kind's keys (`target`,
    `clusters`, ...). A job's params keep only what its kind reads, so a new schema key
    with a default reruns no training and no code extraction of another kind."""
    settings = {"kind": "mlp", "dataset": "digits", "epochs": 2, "seeds": [0, 1]}
    plain = Experiment("mlp", "mlp", "digits", settings)
    with_others = Experiment("mlp", "mlp", "digits", {**settings, "target": "", "clusters": 8})
    assert repr(with_others.training_params()) == repr(plain.training_params())
    assert repr(with_others.seed_params()) == repr(plain.seed_params())
    assert plain.training_params()["settings"] == {"dataset": "digits", "epochs": 2, "kind": "mlp"}
    more = Experiment("mlp", "mlp", "digits", {**settings, "epochs": 3})
    assert repr(more.training_params()) != repr(plain.training_params())


def test_a_job_describes_its_codes_as_the_plan_does():
    """Code jobs get `seed_params`, the settings their kind reads: every kind's code
    definition (the fits table's `code` column) comes out the same from them."""

    def add_nulls(config):
        config["experiments"]["unique"] = {"kind": "ising_ae_unique", "target": "ising_ae"}
        config["experiments"]["means"] = {"kind": "kmeans_matched", "target": "mlp"}

    experiments = tiny_experiments(add_nulls)
    kinds = {e.kind for e in experiments.values()}
    assert {"rbm", "ising_ae_unique", "kmeans_matched", "random_projection"} <= kinds
    for experiment in experiments.values():
        job = Experiment.from_params(experiment.seed_params())
        assert job.code_definition == experiment.code_definition, experiment.id
