"""What the workflow builds for a config (scaleinv.plan.targets and the sweep points of
scaleinv.plan.sweeps), on the tiny config with known answers: the rules' inputs and params
come from these, so each value here is what a job is keyed on."""

import yaml
from snakemake.utils import validate

from conftest import REPO, TINY
from scaleinv.plan import targets
from scaleinv.plan.config import config_problems
from scaleinv.plan.experiments import expand_experiments, matched_nulls
from scaleinv.plan.sweeps import figure_axes, point_values

SCHEMA = REPO / "workflow/schemas/config.schema.yaml"
NETWORKS = ["mlp", "ae", "rbm", "cnn_ae"]  # the tiny config's trained experiments, in order


def tiny(edit=None):
    """The tiny config after `edit(config)`, checked and completed as the workflow does
    (common.smk), and its experiments; two Ising temperatures, so that ising_ae expands to
    two ids."""
    config = yaml.safe_load(TINY.read_text())
    config["ising"]["temperatures"] = ["1.53", "2.26"]
    if edit:
        edit(config)
    schema = yaml.safe_load(SCHEMA.read_text())
    assert config_problems(config, schema, lambda c: validate(c, str(SCHEMA))) == []
    return config, expand_experiments(config)


def test_a_figure_draws_its_named_experiments_or_every_one_but_sweep_points():
    config, experiments = tiny()
    assert targets.figure_experiments(config, experiments, "fig1") == ["mlp", "ae", "rbm"]
    assert targets.figure_experiments(config, experiments, "fig2") == ["rbm", "kmeans"]
    assert targets.figure_experiments(config, experiments, "fig5") == [
        "ising_ae_T1.53",
        "ising_ae_T2.26",
    ]
    assert "mlp_threshold.threshold=0.3" in experiments
    assert targets.figure_experiments(config, experiments, "fits") == [
        *NETWORKS,
        "kmeans",
        "ising_ae_T1.53",
        "ising_ae_T2.26",
        "mlp_projection",
        "mlp_shuffled",
    ]
    assert targets.figure_label(config, "fig4") == "mlp"
    assert targets.figure_label(config, "fits") == "all"


def test_drawn_figures_follow_the_catalog_order_and_the_draw_switch():
    config, _ = tiny(lambda c: c["figures"].update(fig3={"draw": False}))
    assert targets.drawn_figures(config) == [
        "fig1",
        "fig2",
        "fig4",
        "fig5",
        "ccdf",
        "fits",
        "relevance_resolution",
        "info_plane",
    ]


def test_figure_inputs_add_the_embedding_and_fits_the_catalog_asks_for():
    config, experiments = tiny()
    assert targets.figure_inputs(config, experiments, "fig2") == {
        "tables": ["results/degeneracy/rbm.parquet", "results/degeneracy/kmeans.parquet"],
        "embedding": "results/embeddings/tsne.parquet",
    }
    ccdf = targets.figure_inputs(config, experiments, "ccdf")
    assert ccdf == {
        "tables": [f"results/degeneracy/{id}.parquet" for id in NETWORKS],
        "fits": [f"results/fits/{id}.parquet" for id in NETWORKS],
    }
    assert targets.figure_inputs(config, experiments, "info_plane") == {
        "tables": ["results/information/mlp.parquet"]
    }


def test_figure_facts_are_key_sorted_and_do_not_depend_on_the_config_order():
    config, experiments = tiny()
    facts = targets.figure_facts(config, experiments, "fig2")
    assert facts == {
        "kmeans": {"control": True, "dataset": "digits", "name": "kmeans", "null": False,
                   "temperature": None},
        "rbm": {"control": False, "dataset": "digits", "name": "rbm", "null": False,
                "temperature": None},
    }  # fmt: skip
    assert list(facts) == ["kmeans", "rbm"] and list(facts["rbm"]) == sorted(facts["rbm"])
    reordered = tiny(lambda c: c.update(experiments=dict(reversed(c["experiments"].items()))))
    assert repr(targets.figure_facts(*reordered, "fig5")) == repr(
        targets.figure_facts(config, experiments, "fig5")
    )
    assert targets.figure_facts(config, experiments, "fig5")["ising_ae_T1.53"] == {
        "control": False,
        "dataset": "ising_L6_T1.53",
        "name": "ising_ae",
        "null": False,
        "temperature": "1.53",
    }


def test_datasets_trainings_and_embeddings_the_experiments_need():
    config, experiments = tiny()
    assert targets.image_datasets(experiments) == ["digits"]
    assert targets.ising_datasets(experiments) == ["ising_L6_T1.53", "ising_L6_T2.26"]
    # the threshold sweep's points code mlp's networks: no training of their own
    assert targets.trainings(experiments) == [
        ("ae", 0),
        ("cnn_ae", 0),
        ("ising_ae_T1.53", 0),
        ("ising_ae_T2.26", 0),
        ("mlp", 0),
        ("rbm", 0),
    ]
    assert targets.embedding_experiments(config) == ["tsne"]


def test_sweep_points_carry_their_grid_values_and_ising_points_their_temperature():
    def add_sweeps(config):
        config["sweeps"]["ising_threshold"] = {
            "base": "ising_ae",
            "axes": {"threshold": [0.3, 0.5]},
        }
        config["sweeps"]["mlp_seeds"] = {"base": "mlp", "axes": {"seed": [0, 1]}}

    _, experiments = tiny(add_sweeps)
    assert point_values(experiments, "mlp_threshold") == [
        ("mlp_threshold.threshold=0.3", {"threshold": 0.3}),
        ("mlp_threshold.threshold=0.7", {"threshold": 0.7}),
    ]
    assert figure_axes(experiments, "mlp_threshold") == ["threshold"]
    ising = point_values(experiments, "ising_threshold")
    assert ising[0] == ("ising_threshold.threshold=0.3_T1.53", {"threshold": 0.3, "T": "1.53"})
    assert len(ising) == 4
    assert figure_axes(experiments, "ising_threshold") == ["T", "threshold"]  # T: the x axis
    assert point_values(experiments, "mlp_seeds") == [("mlp_seeds", {})]
    assert figure_axes(experiments, "mlp_seeds") == ["point"]


def test_codes_files_tsne_inputs_and_sweep_sources_fill_the_workflow_templates():
    config, experiments = tiny()
    assert targets.codes_files(experiments, "mlp") == [
        ("mlp", 0, 0, "results/codes/mlp/seed0/epoch0.parquet"),
        ("mlp", 0, 3, "results/codes/mlp/seed0/epoch3.parquet"),
    ]
    inputs = targets.tsne_inputs(config, experiments, "tsne")
    assert inputs == {
        "dataset": "results/data/digits.npz",
        "codes": "results/codes/rbm/seed0/epoch2.parquet",  # the last snapshot of rbm
        "clusters": "results/codes/kmeans/seed0/epoch0.parquet",
    }
    assert targets.sweep_sources(experiments, "mlp_threshold")[1] == (
        "mlp_threshold.threshold=0.7",
        "results/fits/mlp_threshold.threshold=0.7.parquet",
        "results/information/mlp_threshold.threshold=0.7.parquet",
        {"threshold": 0.7},
    )


def test_codes_rules_dataset_and_ising_params():
    config, experiments = tiny()
    assert targets.experiments_made_by(experiments, "kmeans_codes") == "kmeans"
    assert targets.experiments_made_by(experiments, "external_codes") == "(?!)"
    made = targets.experiments_made_by(experiments, "network_codes").split("|")
    assert made[:2] == ["mlp", "ae"] and r"mlp_threshold\.threshold=0\.3" in made
    recipe = targets.dataset_recipe(config, "digits")
    assert list(recipe) == sorted(recipe) and "urls" not in recipe
    sources = targets.dataset_sources(config, "digits")
    assert sources["urls"] == [] and sources["mirrors"] == config["data"]["mirrors"]
    assert list(targets.ising_sampling(config)) == ["algorithm", "chains", "n_samples", "seed"]


def test_a_matched_null_reads_its_targets_codes_and_network_of_the_same_seed():
    def with_nulls(config):
        config["experiments"]["mlp"]["seeds"] = [0, 1]
        config["experiments"].update(
            mlp_projection={"kind": "random_projection", "dataset": "digits", "target": "mlp",
                            "seeds": [1]},
            mlp_shuffled={"kind": "shuffled_inputs", "dataset": "digits", "target": "mlp",
                          "match": "entropy"},
        )  # fmt: skip

    _, experiments = tiny(with_nulls)
    assert targets.target_files(experiments, "mlp_projection", 1) == {
        "target_codes": "results/codes/mlp/seed1/epoch3.parquet"  # the last snapshot
    }
    assert targets.target_files(experiments, "mlp_shuffled", 0) == {
        "target_codes": "results/codes/mlp/seed0/epoch3.parquet",
        "snapshot": "results/train/mlp/seed0/epoch3.pt",
    }
    assert matched_nulls(experiments) == {
        "mlp": {
            "mlp_projection": ["random_projection", "distinct"],
            "mlp_shuffled": ["shuffled_inputs", "entropy"],
        }
    }
    assert experiments["mlp_projection"].code_definition == "matched to mlp's distinct"
    assert experiments["mlp_projection"].snapshots == [0] and not experiments["mlp"].target


def test_the_deduplicated_ising_null_stands_beside_its_target_per_temperature():
    def with_null(config):
        config["experiments"]["unique"] = {"kind": "ising_ae_unique", "dataset": "ising",
                                           "target": "ising_ae", "widths": [8]}  # fmt: skip

    _, experiments = tiny(with_null)
    assert experiments["unique_T2.26"].target == "ising_ae_T2.26"
    assert matched_nulls(experiments)["ising_ae_T2.26"] == {
        "unique_T2.26": ["ising_ae_unique", "unmatched"]
    }
    assert experiments["unique_T2.26"].train_id == "unique_T2.26"  # a training of its own


def test_scaling_reads_the_first_seeds_of_its_experiments_and_keys_on_its_settings():
    def edit(config):
        config["experiments"]["mlp"]["seeds"] = [3, 1, 2]
        for null in ("mlp_projection", "mlp_shuffled"):  # nulls take their target's seeds
            config["experiments"][null]["seeds"] = [3]
        config["scaling"].update(experiments=["mlp", "ising_ae"], seeds=2)

    config, experiments = tiny(edit)
    assert targets.scaling_experiments(config, experiments) == [
        "mlp", "ising_ae_T1.53", "ising_ae_T2.26"
    ]  # fmt: skip
    files = targets.scaling_codes(config, experiments, "mlp")
    assert [(seed, epoch) for _, seed, epoch, _ in files] == [(3, 0), (3, 3), (1, 0), (1, 3)]
    params = targets.scaling_settings(config)
    assert "experiments" not in params["scaling"]  # adding one reruns no other
    assert params["fits"]["bootstrap"] == 10 and params["fits"]["min_tail"] == 10


def test_the_default_target_holds_every_table_figure_and_summary_once():
    config, experiments = tiny()
    final = targets.final_outputs(config, experiments)
    assert len(final) == len(set(final))
    assert {"results/claims.tsv", "results/fits/summary.tsv", "results/data/digits.npz"} <= set(
        final
    )
    assert "results/figures/sweep_mlp_threshold.png" in final
    assert targets.sweep_tables(experiments, "mlp_threshold")[:2] == [
        "results/fits/mlp_threshold.threshold=0.3.parquet",
        "results/information/mlp_threshold.threshold=0.3.parquet",
    ]
