"""Config validation: good configs pass, each bad value gives one line naming key, value and fix."""

import copy

import pytest
import yaml
from snakemake.utils import update_config, validate

from conftest import REPO
from scaleinv.plan.config import complete_figures, config_problems, schema_errors

SCHEMA_PATH = REPO / "workflow/schemas/config.schema.yaml"
SCHEMA = yaml.safe_load(SCHEMA_PATH.read_text())


def errors(config):
    """What the workflow's config check says of `config` (filling its defaults)."""
    return config_problems(config, SCHEMA, lambda c: validate(c, str(SCHEMA_PATH)))


def test_default_and_paper_configs_are_valid(default_config):
    assert errors(copy.deepcopy(default_config)) == []
    paper = yaml.safe_load((REPO / "workflow/configs/paper.yaml").read_text())
    merged = copy.deepcopy(default_config)
    for name, override in paper["experiments"].items():
        merged["experiments"][name].update(override)
    assert errors(merged) == []
    assert {e["dataset"] for e in merged["experiments"].values()} == {
        "mnist",
        "fashion_mnist",
        "emnist_lower",
        "cifar10",
        "ising",
    }


def test_every_schema_field_has_description_and_default():
    """Every field is described; every field a config may leave out has a default."""

    def fields(node, path):
        for name, sub in node.get("properties", {}).items():
            if name not in node.get("required", ()):
                yield f"{path}.{name}", sub
            assert "description" in sub, f"{path}.{name}"
            yield from fields(sub, f"{path}.{name}")
        for sub_name in ("additionalProperties", "items"):
            sub = node.get(sub_name)
            if isinstance(sub, dict):
                yield from fields(sub, f"{path}.{sub_name}")

    roots = [("config", SCHEMA)] + [(f"$defs.{n}", d) for n, d in SCHEMA["$defs"].items()]
    checked = [(p, f) for root, node in roots for p, f in fields(node, root)]
    assert len(checked) > 30
    for path, field in checked:
        assert "description" in field and "default" in field, path


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda c: c["experiments"]["mlp"].update(epochs=0),
            "experiments.mlp.epochs must be >= 1 (got 0)",
        ),
        (
            lambda c: c["experiments"]["mlp"].update(lr=-1),
            "experiments.mlp.lr must be > 0 (got -1)",
        ),
        (
            lambda c: c["experiments"]["mlp"].update(epochs="ten"),
            "experiments.mlp.epochs must be of type integer (got 'ten')",
        ),
        (
            lambda c: c["experiments"]["mlp"].update(activation="tanh"),
            "experiments.mlp.activation must be one of sigmoid, relu (got 'tanh')",
        ),
        (
            lambda c: c["experiments"]["mlp"].update(device="tpu"),
            "experiments.mlp.device must be one of auto, cpu, cuda (got 'tpu')",
        ),
        (
            lambda c: c["experiments"]["mlp"].update(dataset="imagenet"),
            "experiments.mlp.dataset must be one of mnist, fashion_mnist, emnist_lower, cifar10, digits, ising (got 'imagenet')",
        ),
        (
            lambda c: c["experiments"]["mlp"].update(widht=[3]),
            "experiments.mlp has unknown key(s) widht; allowed:",
        ),
        (lambda c: c["experiments"]["mlp"].pop("kind"), "experiments.mlp is missing 'kind'"),
        (
            lambda c: c["experiments"]["mlp"].update(widths=[]),
            "experiments.mlp.widths must list at least 1 item(s) (got [])",
        ),
        (
            lambda c: (
                c["experiments"]["mlp"]["binarization"].update(threshold=1.5)
                if "binarization" in c["experiments"]["mlp"]
                else c["experiments"]["mlp"].update(binarization={"threshold": 1.5})
            ),
            "experiments.mlp.binarization.threshold must be < 1 (got 1.5)",
        ),
        (
            lambda c: c["datasets"].update(svhn={}),
            "datasets has unknown entry 'svhn'; allowed: mnist, fashion_mnist, emnist_lower, cifar10, digits",
        ),
        (lambda c: c["ising"].update(temperatures=["hot"]), "ising.temperatures.0 must match"),
        (
            lambda c: c["ising"].update(algorithm="heatbath"),
            "ising.algorithm must be one of metropolis, wolff (got 'heatbath')",
        ),
        (
            lambda c: c["datasets"].update(
                mnist={"checksums": {"t10k-labels-idx1-ubyte.gz": {"md5": "xyz"}}}
            ),
            "datasets.mnist.checksums.t10k-labels-idx1-ubyte.gz.md5 must match",
        ),
        (
            lambda c: c["experiments"]["mlp"].update(seeds=[0, 0]),
            "experiments.mlp.seeds must not repeat a value (got [0, 0])",
        ),
        (
            lambda c: c["experiments"]["epochs"].update(snapshots=[0, 1, 1]),
            "experiments.epochs.snapshots must not repeat a value (got [0, 1, 1])",
        ),
        (
            lambda c: c["ising"].update(temperatures=["2.26", "2.26"]),
            "ising.temperatures must not repeat a value (got ['2.26', '2.26'])",
        ),
        (
            lambda c: c["figures"]["fig1"].update(width=100_000),
            "figures.fig1.width must be <= 100 (got 100000)",
        ),
    ],
)
def test_schema_violation_is_one_clear_line(default_config, edit, message):
    edit(default_config)
    found = schema_errors(default_config, SCHEMA)
    assert found and found[0].startswith(message), found


@pytest.mark.parametrize(
    "edit, message",
    [
        pytest.param(
            lambda c: c["experiments"].update({"../../../escaped": c["experiments"]["mlp"]}),
            "experiments has a name that is not allowed: '../../../escaped'; a name is a letter followed by letters, digits, _ or - (names become paths and rule names)",
            id="path in a name",
        ),
        pytest.param(
            lambda c: c["experiments"].update({"a[b": c["experiments"]["mlp"]}),
            "experiments has a name that is not allowed: 'a[b'; a name is a letter followed by letters, digits, _ or - (names become paths and rule names)",
            id="regex in a name",
        ),
        pytest.param(
            lambda c: c["experiments"].update({"ising_ae_T2_26": c["experiments"]["mlp"]}),
            "experiments ising_ae and ising_ae_T2_26 collide: both give the id ising_ae_T2_26 in rule names; rename one",
            id="shadows an expanded id",
        ),
        pytest.param(
            lambda c: c["experiments"].update(
                {"mlp-v2": c["experiments"]["mlp"], "mlp_v2": c["experiments"]["mlp"]}
            ),
            "experiments mlp-v2 and mlp_v2 collide: both give the id mlp_v2 in rule names; rename one",
            id="names that normalise alike",
        ),
        pytest.param(
            lambda c: c["experiments"]["rbm"].update(activation="relu"),
            "experiments.rbm sets activation, which kind rbm does not use; remove it (kind rbm reads kind, seeds, dataset, widths, optimizer, lr, batch, epochs, snapshots, n_train, ensemble, device, compile, code)",
            id="a key the kind ignores",
        ),
        pytest.param(
            lambda c: c["experiments"]["rbm"].update(widths=[30, 20]),
            "experiments.rbm.widths must list exactly 1 width(s) for kind rbm (got [30, 20])",
            id="an RBM with two widths",
        ),
        pytest.param(
            lambda c: c["ising"].update(temperatures=["0", "2.26"]),
            "ising.temperatures must be > 0 (got ['0'])",
            id="zero temperature",
        ),
        pytest.param(
            lambda c: (
                c["experiments"]["kmeans"].update(dataset="digits")
                or c["experiments"]["tsne"].update(dataset="digits")
                or c["experiments"]["rbm"].update(dataset="digits")
            ),
            "experiments.kmeans.clusters must be <= the 1438 training samples of digits (got 2048)",
            id="more clusters than samples",
        ),
        pytest.param(
            lambda c: c["experiments"]["tsne"].update(samples=100, perplexity=100),
            "experiments.tsne.perplexity must be < samples (100) (got 100)",
            id="perplexity of all samples",
        ),
        pytest.param(
            lambda c: c["experiments"]["tsne"].update(clusters_of="mlp"),
            "experiments.tsne.clusters_of must name an experiment with cluster ids (kind kmeans) on dataset fashion_mnist (got 'mlp')",
            id="t-SNE clusters of a network",
        ),
        (
            lambda c: c["experiments"]["mlp"].update(kind="gan"),
            "experiments.mlp.kind must be one of rbm, kmeans, tsne, mlp, ae, cnn_ae, ising_ae, external, random_projection, random_bits, untrained_network, shuffled_inputs, kmeans_matched, ising_ae_unique (got 'gan')",
        ),
        pytest.param(
            lambda c: c["experiments"].update(null={"kind": "random_projection", "target": "tsne"}),
            "experiments.null.target must name an experiment of kind rbm, kmeans, mlp, ae, cnn_ae on dataset fashion_mnist (got 'tsne')",
            id="a null matched to no network",
        ),
        pytest.param(
            lambda c: c["experiments"].update(null={"kind": "shuffled_inputs", "target": "rbm"}),
            "experiments.null.target must name an experiment of kind mlp, ae, cnn_ae on dataset fashion_mnist (got 'rbm')",
            id="shuffled inputs through sampled states",
        ),
        pytest.param(
            lambda c: c["experiments"].update(
                null={"kind": "random_projection", "target": "mlp", "seeds": [0, 7]}
            ),
            "experiments.null.seeds must be seeds of its target mlp ([0, 1, 2]); a null matches the target's codes of the same seed (got [7])",
            id="a null seed its target lacks",
        ),
        pytest.param(
            lambda c: c["experiments"].update(
                null={"kind": "kmeans_matched", "target": "mlp", "target_layers": ["z4"]}
            ),
            "experiments.null.target_layers must be layers of mlp (z1 to z3) (got ['z4'])",
            id="a target layer the target lacks",
        ),
        pytest.param(
            lambda c: c["experiments"].update(
                null={"kind": "kmeans_matched", "target": "mlp", "match": "entropy"}
            ),
            "experiments.null.match must be distinct for kind kmeans_matched: its K clusters are a number of distinct codes (got 'entropy')",
            id="k-means matched by entropy",
        ),
        pytest.param(
            lambda c: c["experiments"].update(
                null={"kind": "ising_ae_unique", "dataset": "ising", "target": "mlp"}
            ),
            "experiments.null.target must name the experiment of kind ising_ae it stands beside (got 'mlp')",
            id="a de-duplicated Ising null beside an image network",
        ),
        (
            lambda c: c["experiments"]["mlp"].update(kind="external"),
            "experiments.mlp (kind external) needs exactly one of codes (a codes .parquet file) or activations (an .npz file) (got codes '', activations '')",
        ),
        (
            lambda c: c["figures"]["fig2"].update(embedding="rbm"),
            "figures.fig2.embedding must name an experiment that writes an embedding, such as kind tsne (got 'rbm')",
        ),
        (
            lambda c: c["experiments"]["mlp"].update(epochs=10, snapshots=[5, 20]),
            "experiments.mlp.snapshots must be <= epochs (10) (got [20])",
        ),
        (
            lambda c: c["experiments"]["mlp"].update(dataset="ising"),
            "experiments.mlp: kind ising_ae, ising_ae_unique goes with dataset ising and no other (got kind 'mlp', dataset 'ising')",
        ),
        (
            lambda c: c["datasets"].update(
                mnist={"checksums": {"train-images-idx3-ubyte.gz": {"md5": ""}}}
            ),
            "datasets.mnist.checksums.train-images-idx3-ubyte.gz needs md5 or sha256_uncompressed",
        ),
        (
            lambda c: c["figures"]["fig4"].update(experiments=["epoch"]),
            "figures.fig4.experiments names unknown experiments ['epoch']; configured: rbm, kmeans, tsne, mlp, ae, cnn_ae, epochs, mlp_projection, mlp_projection_both, mlp_random_bits, mlp_untrained, ising_ae",
        ),
        (
            lambda c: c["scaling"].update(experiments=["mlp", "tsne"]),
            "scaling.experiments names ['tsne'], which are no experiments that write codes; configured with codes: rbm, kmeans, mlp, ae, cnn_ae, epochs, mlp_projection, mlp_projection_both, mlp_random_bits, mlp_untrained, ising_ae",
        ),
    ],
)
def test_cross_key_problem_is_one_clear_line(default_config, edit, message):
    edit(default_config)
    assert schema_errors(default_config, SCHEMA) == []
    assert message in errors(default_config)


def test_digits_needs_no_checksums(default_config):
    default_config["experiments"]["mlp"]["dataset"] = "digits"
    for null in ("mlp_projection", "mlp_projection_both", "mlp_random_bits", "mlp_untrained"):
        default_config["experiments"][null]["dataset"] = "digits"  # its target's
    assert errors(default_config) == []


def test_a_partial_figure_entry_keeps_its_figures_defaults():
    config = {"figures": {"fig2": {"width": 9}, "fig3": {"experiments": ["ae"]}}}
    complete_figures(config, SCHEMA)
    assert {name: config["figures"][name] for name in ("fig2", "fig3")} == {
        "fig2": {"experiments": ["rbm", "kmeans"], "embedding": "tsne", "width": 9, "height": 3.2},
        "fig3": {"experiments": ["ae"], "width": 4, "height": 3.2},
    }
    wrong_type = {"figures": ["fig2"]}
    complete_figures(wrong_type, SCHEMA)  # left to the schema check, which names it
    assert schema_errors(wrong_type, SCHEMA) == ["figures must be of type object (got ['fig2'])"]


def test_a_figure_the_config_does_not_mention_draws_what_it_can(default_config):
    """A figure left to its defaults draws its configured default experiments, and is off
    when there are none; one the user wrote is checked as written."""
    config = {"experiments": {"mlp": {}, "mine": {}}, "figures": {"fig3": {"experiments": ["x"]}}}
    complete_figures(config, SCHEMA)
    figures = config["figures"]
    assert figures["fig1"]["experiments"] == ["mlp"] and figures["fig1"]["draw"]
    assert not figures["fig2"]["draw"]  # neither rbm, kmeans nor the t-SNE embedding
    assert not figures["fig5"]["draw"] and figures["fits"]["draw"]  # fits: every experiment
    assert figures["fig3"] == {"experiments": ["x"], "width": 4, "height": 3.2}
    only_mine = {
        "experiments": {"mine": {**default_config["experiments"]["mlp"], "dataset": "digits"}}
    }
    complete_figures(only_mine, SCHEMA)
    assert errors(only_mine) == []


def test_the_schemas_dataset_names_are_the_catalogs():
    from scaleinv.datasets.catalog import IMAGE_DATASETS, ISING

    schema = yaml.safe_load(SCHEMA_PATH.read_text())
    named = schema["properties"]["datasets"]["propertyNames"]["enum"]
    chosen = schema["$defs"]["experiment"]["properties"]["dataset"]["enum"]
    assert named == list(IMAGE_DATASETS) and chosen == [*IMAGE_DATASETS, ISING]


def layered(*overlays):
    """config.yaml with each overlay merged in, as Snakemake merges `--configfile`s."""
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    for overlay in overlays:
        update_config(config, yaml.safe_load((REPO / overlay).read_text()))
    return config


@pytest.mark.parametrize(
    "config",
    [
        pytest.param(lambda: layered(), id="config.yaml"),
        pytest.param(lambda: layered("workflow/configs/robustness.yaml"), id="robustness"),
        pytest.param(lambda: layered("workflow/configs/paper_data.yaml"), id="paper_data"),
        *(
            pytest.param(lambda p=path: yaml.safe_load(p.read_text()), id=path.name)
            for path in sorted((REPO / "tests/configs").glob("*.yaml"))
        ),
    ],
)
def test_the_shipped_configs_plan_within_the_default_limits(config):
    assert errors(config()) == []


SUBSAMPLES = (
    "scaling plans up to 48,000 subsample fits, more than limits.subsamples = 20,000 (the "
    "most: mlp, 1 seed x 1 snapshot x 4 layers x 2 splits x 3 sizes x 1,000 replicates = "
    "24,000); lower scaling.sizes, replicates, seeds or splits, or raise limits.subsamples "
    "to run it"
)
REPLICATES = (
    "the config plans up to 29,669,120 bootstrap replicates, more than limits.replicates = "
    "20,000,000: 296 layer fits x 100,200 (analysis.bootstrap + estimator_bootstrap + "
    "occupancy_bootstrap), 48 subsample fits x 140 (scaling.bootstrap + estimator_bootstrap "
    "+ occupancy_bootstrap) and 16 scaled layers x 200 (scaling.pair_draws); lower a count "
    "named here, or raise limits.replicates to run it"
)


@pytest.mark.parametrize(
    "edit, expected",
    [
        pytest.param({"scaling": {"replicates": 1000}}, [SUBSAMPLES], id="subsamples"),
        pytest.param({"analysis": {"bootstrap": 100_000}}, [REPLICATES], id="replicates"),
        pytest.param(
            {"limits": {"subsamples": 47, "replicates": 217_119}},
            [
                "scaling plans up to 48 subsample fits, more than limits.subsamples = 47 (the "
                "most: mlp, 1 seed x 1 snapshot x 4 layers x 2 splits x 3 sizes x 1 replicate "
                "= 24); lower scaling.sizes, replicates, seeds or splits, or raise "
                "limits.subsamples to run it",
                "the config plans up to 217,120 bootstrap replicates, more than "
                "limits.replicates = 217,119: 296 layer fits x 700 (analysis.bootstrap + "
                "estimator_bootstrap + occupancy_bootstrap), 48 subsample fits x 140 "
                "(scaling.bootstrap + estimator_bootstrap + occupancy_bootstrap) and 16 scaled "
                "layers x 200 (scaling.pair_draws); lower a count named here, or raise "
                "limits.replicates to run it",
            ],
            id="the default run, one below each limit",
        ),
        pytest.param({"limits": {"subsamples": 48, "replicates": 217_120}}, [], id="at each"),
    ],
)
def test_a_plan_above_its_limits_is_refused_naming_the_key(default_config, edit, expected):
    """Issue 36 item 2: the subsample fits and bootstrap replicates a config plans are
    counted and capped by `limits` before any job, as the jobs are."""
    for section, values in edit.items():
        default_config.setdefault(section, {}).update(values)
    assert errors(default_config) == expected


def test_every_count_in_the_schema_has_a_maximum():
    """Issue 36 item 2: every integer key but a seed (a stream's name, no count of work)
    caps what a user may ask for, in the config, its experiments and its datasets."""

    def integer_keys(node, path):
        for name, spec in node.get("properties", {}).items():
            options = [spec, spec.get("items", {}), *spec.get("oneOf", [])]
            for option in options:
                if option.get("type") == "integer":
                    yield f"{path}.{name}", option
            yield from integer_keys(spec, f"{path}.{name}")

    roots = [("config", SCHEMA)] + [(f"$defs.{n}", d) for n, d in SCHEMA["$defs"].items()]
    found = dict(kv for root, node in roots for kv in integer_keys(node, root))
    assert {"config.limits.subsamples", "config.limits.replicates", "config.scaling.pair_draws",
            "config.analysis.bootstrap", "$defs.experiment.draws"} <= set(found)  # fmt: skip
    unbounded = [key for key, spec in found.items() if "maximum" not in spec]
    assert unbounded == ["config.ising.seed", "config.analysis.seed", "$defs.dataset.seed"]
