"""Which experiments each claim rests on (scaleinv.analysis.claims.claim_experiments): its
figure's, as the catalog CLAIMS says, narrowed where the claim is about fewer."""

from scaleinv.analysis.claims import CLAIMS, claim_experiments
from test_targets import tiny


def test_each_claim_rests_on_its_figures_experiments_sorted():
    assert claim_experiments(*tiny()) == {
        "C1": ["ae", "mlp", "rbm"],
        "C2": ["kmeans"],  # Fig. 2 draws the RBM beside the k-means control
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
    assert rests["C2"] == ["kmeans"]


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
