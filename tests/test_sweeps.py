"""Sweeps: expansion into experiments, shared training, config errors, and the DAG."""

import pytest
import yaml
from snakemake.utils import validate

from conftest import REPO, outputs_of_jobs, snakemake, tiny_experiments
from scaleinv.plan.config import config_problems
from scaleinv.plan.sweeps import robustness_sweeps

SCHEMA_PATH = REPO / "workflow/schemas/config.schema.yaml"


def with_sweeps(sweeps):
    return lambda config: config.update(sweeps=sweeps)


def test_points_are_experiments_named_by_their_values():
    expanded = tiny_experiments(
        with_sweeps(
            {
                "ae_grid": {
                    "base": "ae",
                    "axes": {
                        "threshold": [0.3, 0.6],
                        "width2": [4, 12],
                        "seed": [1, 2, 3],
                    },
                },
                "ising_w": {
                    "base": "ising_ae",
                    "axes": {"widths": [[4], [6]], "temperature": ["2.0"]},
                },
            }
        )
    )
    points = [e for e in expanded.values() if e.sweep == "ae_grid"]
    assert [e.id for e in points] == [
        "ae_grid.threshold=0.3.width2=4",
        "ae_grid.threshold=0.3.width2=12",
        "ae_grid.threshold=0.6.width2=4",
        "ae_grid.threshold=0.6.width2=12",
    ]
    last = expanded["ae_grid.threshold=0.6.width2=12"]
    assert last.settings["widths"] == [16, 12, 16]
    assert last.settings["binarization"] == {"threshold": 0.6}
    assert last.seeds == [1, 2, 3] and last.point == {"threshold": 0.6, "width2": 12}
    assert last.rule_id == "ae_grid_threshold_0_6_width2_12"
    assert expanded["ae"].settings["widths"] == [16, 8, 16]  # the base is left as it was
    ising = [e.id for e in expanded.values() if e.sweep == "ising_w"]
    assert ising == ["ising_w.widths=4_T2.0", "ising_w.widths=6_T2.0"]
    assert expanded["ising_w.widths=4_T2.0"].dataset == "ising_L6_T2.0"


def test_points_that_change_only_the_coding_share_their_bases_training():
    expanded = tiny_experiments(
        with_sweeps(
            {
                "thr": {"base": "ae", "axes": {"threshold": [0.4, 0.6], "seed": [0, 7]}},
                "code": {"base": "rbm", "axes": {"code": ["sample", "mean_field"]}},
                "lr": {"base": "ae", "axes": {"lr": [0.01]}},
                "size": {"base": "mlp", "axes": {"n_train": [500]}},
                "ep": {"base": "mlp", "axes": {"epochs": [2]}},
            }
        )
    )
    trains = {id: e.train_id for id, e in expanded.items() if e.sweep}
    assert trains == {
        "thr.threshold=0.4": "ae",
        "thr.threshold=0.6": "ae",
        "code.code=sample": "rbm",
        "code.code=mean_field": "rbm",
        "lr.lr=0.01": "lr.lr=0.01",
        "size.n_train=500": "size.n_train=500",
        "ep.epochs=2": "ep.epochs=2",
    }
    assert expanded["ep.epochs=2"].settings["snapshots"] == [0, 2]  # base: [0, 3]
    assert expanded["code.code=mean_field"].code_definition == "mean_field"
    assert expanded["thr.threshold=0.4"].code_definition == "relu > layer mean"


def problems(sweeps):
    config = yaml.safe_load((REPO / "tests/configs/tiny.yaml").read_text())
    config["sweeps"] = sweeps
    schema = yaml.safe_load(SCHEMA_PATH.read_text())
    return config_problems(config, schema, lambda c: validate(c, str(SCHEMA_PATH)))


@pytest.mark.parametrize(
    "sweep, message",
    [
        (
            {"base": "mpl", "axes": {"seed": [1]}},
            "sweeps.s.base must name an experiment that writes codes (got 'mpl'; configured: "
            "mlp, ae, rbm, cnn_ae, kmeans, tsne, ising_ae, mlp_projection, mlp_shuffled)",
        ),
        (
            {"base": "mlp", "axes": {"depth": [1]}},
            "sweeps.s.axes has unknown axis 'depth'; allowed: seed, temperature, widths, "
            "threshold, activation, n_train, epochs, lr, code, or width<i> for the i-th "
            "hidden width (1-based)",
        ),
        (
            {"base": "mlp", "axes": {"width3": [5]}},
            "sweeps.s.axes.width3: the base has 2 widths (got width3)",
        ),
        (
            {"base": "rbm", "axes": {"threshold": [0.4]}},
            "sweeps.s.axes.threshold: kind rbm has no setting binarization to sweep",
        ),
        (
            {"base": "mlp", "axes": {"threshold": [0.4, 1.5]}},
            "sweeps.s.axes.threshold[1] must be < 1 (got 1.5)",
        ),
        (
            {"base": "mlp", "axes": {"n_train": [2000]}},
            "sweeps.s[s.n_train=2000].n_train must be <= the 1438 training samples of "
            "digits (got 2000)",
        ),
        ({"base": "mlp", "axes": {"lr": [0.1, 0.1]}}, "sweeps.s.axes.lr must not repeat a value"),
        ({"base": "mlp"}, "sweeps.s is missing 'axes'"),
    ],
)
def test_a_bad_sweep_is_one_clear_line(sweep, message):
    found = problems({"s": sweep})
    assert len(found) == 1 and found[0].startswith(message), found


def test_a_sweep_named_like_an_experiment_is_refused():
    found = problems({"mlp": {"base": "mlp", "axes": {"lr": [0.1]}}})
    assert found == [
        "sweeps.mlp: a sweep name is a letter followed by letters, digits, _ or -, and neither "
        "an experiment's name nor a rule's or results/ folder's (it starts the id of every "
        "point; got 'mlp')"
    ]


@pytest.mark.slow
@pytest.mark.snakemake
def test_a_threshold_sweep_reruns_coding_and_what_follows_never_training(tiny_run_copy):
    config = tiny_run_copy / "config.yaml"
    settings = yaml.safe_load(config.read_text())
    settings["sweeps"] = {"thr": {"base": "mlp", "axes": {"threshold": [0.3, 0.7]}}}
    config.write_text(yaml.safe_dump(settings))
    planned = outputs_of_jobs(snakemake(tiny_run_copy, "-n", "--cores", "1").stdout)
    points = ("thr.threshold=0.3", "thr.threshold=0.7")
    assert planned == {
        **{
            f"results/codes/{point}/seed0/epoch{epoch}.parquet": f"codes_thr_threshold_{value}"
            for point, value in zip(points, ("0_3", "0_7"), strict=True)
            for epoch in (0, 3)
        },
        **{
            f"results/{t}/{p}.parquet": t
            for t in ("degeneracy", "information", "fits")
            for p in points
        },
        "results/sweeps/thr.parquet": "sweep_table",
        "results/sweeps/thr.tsv": "sweep_table",
        "results/figures/sweep_thr.pdf": "sweep_figure",
        "results/figures/sweep_thr.png": "sweep_figure",
        "results/fits/summary.tsv": "fits_summary",
        "results/claims.tsv": "claims",  # C6 rates the sweeps
    }
    settings["sweeps"]["thr"]["axes"] = {"width2": [4]}  # a width trains a network of its own
    config.write_text(yaml.safe_dump(settings))
    planned = outputs_of_jobs(snakemake(tiny_run_copy, "-n", "--cores", "1").stdout)
    assert {rule for rule in planned.values() if rule.startswith("train")} == {"train_thr_width2_4"}


def test_claim_c6_rates_the_image_networks_sweeps_not_the_ising_grid():
    """robustness.yaml's sweeps minus the Ising (T x width) grid, whose verdict should
    change with T (claim C5), not survive it."""
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    robustness = yaml.safe_load((REPO / "workflow/configs/robustness.yaml").read_text())
    config["sweeps"] = robustness["sweeps"]
    assert "ising_width" in config["sweeps"]
    assert robustness_sweeps(config) == sorted(set(config["sweeps"]) - {"ising_width"})
