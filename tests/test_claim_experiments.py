"""Which experiments each claim rests on (scaleinv.plan.claims.claim_experiments): its
figure's, as the catalog CLAIMS says, narrowed where the claim is about fewer."""

from scaleinv.analysis.claims import RULES
from scaleinv.plan.claims import CLAIMS, claim_experiments, sweep_bases
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
