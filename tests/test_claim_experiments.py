"""Which experiments each claim rests on (scaleinv.plan.claims.claim_experiments): its
figure's, as the catalog CLAIMS says, narrowed where the claim is about fewer."""

from scaleinv.analysis.claims import RULES
from scaleinv.plan import paths
from scaleinv.plan.claims import (
    CLAIMS,
    RowFacts,
    claim_experiments,
    claims_job,
    row_facts,
    sweep_bases,
)
from test_targets import tiny


def test_each_claim_rests_on_its_figures_experiments_sorted():
    assert claim_experiments(*tiny()) == {
        "C1": ["ae", "mlp", "rbm"],
        "C2": ["kmeans", "rbm"],  # the k-means control and the RBM it is compared with
        "C3": ["cnn_ae"],
        "C4": ["mlp"],
        "C5": ["ising_ae_T1.53", "ising_ae_T2.26"],
        "C7": ["ae", "mlp", "rbm"],  # the networks of Fig. 1, not every experiment
    }
    assert [c.id for c in CLAIMS if c.id not in claim_experiments(*tiny())] == ["C6"]


def test_a_claim_keeps_only_the_experiments_it_is_about():
    def edit(config):
        config["figures"]["fig5"] = {"experiments": ["mlp", "ising_ae"]}
        config["figures"]["fig2"] = {"experiments": ["kmeans", "mlp", "rbm"]}

    rests = claim_experiments(*tiny(edit))
    assert rests["C5"] == ["ising_ae_T1.53", "ising_ae_T2.26"]
    assert rests["C2"] == ["kmeans", "mlp", "rbm"]  # every network drawn beside k-means


def test_a_claim_whose_figure_is_not_drawn_rests_on_nothing():
    def edit(config):
        config["figures"]["fig1"] = {"draw": False}
        config["figures"]["fig3"] = {"draw": False}

    rests = claim_experiments(*tiny(edit))
    assert rests["C1"] == rests["C3"] == rests["C7"] == []
    assert rests["C4"] == ["mlp"]


def test_the_claims_do_not_depend_on_the_config_order():
    def reverse(config):
        config["experiments"] = dict(reversed(config["experiments"].items()))

    assert repr(claim_experiments(*tiny(reverse))) == repr(claim_experiments(*tiny()))


def test_each_sweep_point_is_compared_with_its_base_at_its_temperature():
    def edit(config):
        config["sweeps"]["ising_threshold"] = {"base": "ising_ae", "axes": {"threshold": [0.3]}}

    config, experiments = tiny(edit)
    assert sweep_bases(config, experiments, ["mlp_threshold", "ising_threshold"]) == {
        "ising_threshold.threshold=0.3_T1.53": "ising_ae_T1.53",
        "ising_threshold.threshold=0.3_T2.26": "ising_ae_T2.26",
        "mlp_threshold.threshold=0.3": "mlp",
        "mlp_threshold.threshold=0.7": "mlp",
    }
    assert sweep_bases(config, experiments, []) == {}


def test_every_claim_names_a_rule_of_the_analysis():
    assert [claim.decide for claim in CLAIMS if claim.decide not in RULES] == []


def sweep_path(name):
    return paths.SWEEP.format(sweep=name)


def test_the_claims_rule_reads_what_its_claims_rest_on_their_nulls_and_the_sweep_bases():
    config, experiments = tiny()
    job = claims_job(config, experiments, paths.table, sweep_path)
    ids = ["ae", "cnn_ae", "ising_ae_T1.53", "ising_ae_T2.26", "kmeans", "mlp",
           "mlp_projection", "mlp_shuffled", "rbm"]  # fmt: skip
    assert job.input == {
        "fits": [f"results/fits/{id}.parquet" for id in ids],  # the nulls beside mlp
        "information": [f"results/information/{id}.parquet" for id in ids],
        "sweeps": ["results/sweeps/mlp_threshold.parquet"],
    }
    assert job.params == {
        "experiments": {**claim_experiments(config, experiments), "C6": ["mlp_threshold"]},
        "critical_window": 0.05,
    }
    assert list(job.params["experiments"]) == sorted(job.params["experiments"])


def test_a_sweep_base_no_claim_draws_is_read_for_c6():
    def edit(config):
        config["figures"]["fig1"] = {"draw": False}
        config["figures"]["fig2"] = {"draw": False}
        config["figures"]["fig4"] = {"draw": False}
        config["figures"]["relevance_resolution"] = {"draw": False}

    config, experiments = tiny(edit)
    fits = claims_job(config, experiments, paths.table, sweep_path).input["fits"]
    assert "results/fits/mlp.parquet" in fits  # mlp_threshold's base
    assert "results/fits/mlp_projection.parquet" not in fits  # mlp itself rests no claim


def test_each_row_carries_what_a_verdict_reads_as_typed_facts():
    def edit(config):
        config["sweeps"]["ising_threshold"] = {"base": "ising_ae", "axes": {"threshold": [0.3]}}

    config, experiments = tiny(edit)
    facts = {id: RowFacts.from_params(row_facts(config, experiments, id)) for id in experiments}
    assert facts["mlp"] == RowFacts("mlp", "digits")
    assert facts["kmeans"] == RowFacts("kmeans", "digits", control="kmeans")
    projection = RowFacts("random_projection", "digits", "random_projection", "mlp", "distinct")
    assert facts["mlp_projection"] == projection
    assert facts["mlp_shuffled"].control == "shuffled_inputs"
    ising = experiments["ising_ae_T2.26"].dataset
    assert facts["ising_ae_T2.26"] == RowFacts("ising_ae", ising, temperature=2.26)
    assert facts["mlp_threshold.threshold=0.3"] == RowFacts(
        "mlp", "digits", sweep="mlp_threshold", base="mlp", axis=("threshold",), value=("0.3",)
    )
    assert facts["ising_threshold.threshold=0.3_T1.53"].base == "ising_ae_T1.53"
    assert row_facts(config, experiments, "mlp")["axis"] == []  # plain data for params
