"""The kind registry: its entries are consistent, and a kind added from outside the
package (an entry point) runs through the real DAG like a built-in one."""

import os
import shutil
import subprocess

import polars as pl
import pytest
import yaml

from conftest import REPO, TINY, snakemake
from scaleinv.codes import read_metadata
from scaleinv.plan.kinds import (
    BUILT_IN,
    CODE_RULES,
    KINDS,
    MATCHED_NULL_RULES,
    NETWORK_CODES,
    Kind,
)


def test_every_kind_names_a_code_rule_the_workflow_has():
    rules = (REPO / "workflow/rules/codes.smk").read_text()
    assert "in network_code_jobs(EXPERIMENTS):" in rules  # one rule per trained experiment
    assert "for null in MATCHED_NULL_RULES:" in rules  # one rule per matched null's entry
    nulls = {rule.name for rule in MATCHED_NULL_RULES}
    for rule in CODE_RULES:
        assert rule in (NETWORK_CODES, *nulls) or f"rule {rule}:" in rules
    for null in MATCHED_NULL_RULES:  # each names a writer that exists
        module, function = null.writer.split(":")
        assert (REPO / "src" / f"{module.replace('.', '/')}.py").is_file()
        assert f"def {function}(" in (REPO / "src" / f"{module.replace('.', '/')}.py").read_text()
    assert [kind.name for kind in BUILT_IN] == list(KINDS)  # no plugin installed here


def test_every_kind_that_trains_names_a_model_learn_registers():
    from scaleinv.learn.models import MODELS  # torch: here, not at collection

    assert {kind.model for kind in KINDS.values() if kind.trains} <= set(MODELS)


def test_a_kind_with_an_unknown_code_rule_is_refused():
    with pytest.raises(ValueError, match="kind odd: codes must be one of"):
        Kind("odd", "a typo", codes="network_code")


def test_kind_names_are_compared_only_in_the_registry():
    """Adding a kind touches its model module and one registry entry, nothing else."""
    built_in = "|".join(f'"{kind.name}"' for kind in BUILT_IN)
    assert_only_in_the_registry(built_in)


def assert_only_in_the_registry(pattern):
    """`pattern` (grep -E) is found in src/ and the rules, and only in plan/kinds.py."""
    found = subprocess.run(
        ["grep", "-rnE", pattern, "src", "workflow/rules"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    assert found and all(line.startswith("src/scaleinv/plan/kinds.py:") for line in found), found


@pytest.mark.slow
@pytest.mark.snakemake
def test_a_plugin_kind_runs_through_the_tiny_dag(workflow_copy, tmp_path):
    plugins = tmp_path / "plugins"
    (plugins / "toy_kind-0.1.dist-info").mkdir(parents=True)
    shutil.copy(REPO / "tests/toy_kind.py", plugins)
    (plugins / "toy_kind-0.1.dist-info/METADATA").write_text(
        "Metadata-Version: 2.1\nName: toy_kind\nVersion: 0.1\n"
    )
    (plugins / "toy_kind-0.1.dist-info/entry_points.txt").write_text(
        "[scaleinv.kinds]\ntoy = toy_kind:KIND\n[scaleinv.models]\ntoy = toy_kind:build\n"
    )
    tiny = yaml.safe_load(TINY.read_text())
    config = {
        "data": tiny["data"],
        "analysis": tiny["analysis"],
        "experiments": {
            "toy": {
                "kind": "toy",
                "dataset": "digits",
                "widths": [12],
                "epochs": 2,
                "snapshots": [0, 2],
            }
        },
    }
    (workflow_copy / "config.yaml").write_text(yaml.safe_dump(config))
    env = {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(plugins), os.environ.get("PYTHONPATH")]))
    }
    run = snakemake(workflow_copy, "--cores", "2", env=env)
    assert run.returncode == 0, run.stdout
    results = workflow_copy / "results"
    meta = read_metadata(results / "codes/toy/seed0/epoch2.parquet")
    assert meta["kind"] == "toy" and meta["widths"] == {"x": 64, "z1": 12}
    assert meta["binarization"]["z1"] == {"rule": "threshold", "threshold": 0.5}
    fits = pl.read_parquet(results / "fits/toy.parquet")
    assert sorted(set(fits["epoch"])) == [0, 2] and set(fits["layer"]) == {"x", "z1"}
    assert "epoch 2/2" in (results / "logs/train/toy/block0.log").read_text()
    drawn = sorted(p.name for p in (results / "figures").glob("*.png"))
    assert drawn == ["fits.png", "relevance_resolution.png"]  # the paper's figures draw none
    without_plugin = snakemake(workflow_copy, "-n")
    assert "invalid config: experiments.toy.kind must be one of rbm" in without_plugin.stdout


def test_each_kinds_named_properties():
    def row(kind):
        return (
            kind.trains,
            kind.writes_embedding,
            kind.external,
            kind.reads_dataset,
            kind.on_ising,
            kind.writes_cluster_ids,
            kind.samples_states,
        )

    assert {name: row(kind) for name, kind in KINDS.items()} == {
        "rbm": (True, False, False, True, False, False, True),
        "kmeans": (False, False, False, True, False, True, False),
        "tsne": (False, True, False, True, False, False, False),
        "mlp": (True, False, False, True, False, False, False),
        "ae": (True, False, False, True, False, False, False),
        "cnn_ae": (True, False, False, True, False, False, False),
        "ising_ae": (True, False, False, True, True, False, False),
        "external": (False, False, True, False, False, False, False),
        "random_projection": (False, False, False, True, False, False, False),
        "random_bits": (False, False, False, True, False, False, False),
        "untrained_network": (False, False, False, True, False, False, False),
        "shuffled_inputs": (False, False, False, True, False, False, False),
        "kmeans_matched": (False, False, False, True, False, True, False),
        "ising_ae_unique": (True, False, False, True, True, False, False),
    }
    nulls = {
        name: (k.matched, k.runs_target_network, k.deduplicates)
        for name, k in KINDS.items()
        if k.null
    }
    assert nulls == {
        "random_projection": (True, False, False),
        "random_bits": (True, False, False),
        "untrained_network": (True, True, False),
        "shuffled_inputs": (True, True, False),
        "kmeans_matched": (True, False, False),
        "ising_ae_unique": (False, False, True),
    }
    assert "dataset" not in KINDS["external"].config_keys
    assert "dataset" in KINDS["mlp"].config_keys


def test_kind_fields_are_compared_only_in_the_registry():
    """What a kind does is asked through its named properties, never by comparing its
    fields with a sentinel ("ising", "none", "cluster_id", `codes is None`)."""
    sentinel = (
        r'(==|!=) *"(image|ising|none|activation|sampled|cluster_id|given|matched|external_codes'
        r'|codes|network)"'
        r"|codes is (not )?None"
    )
    assert_only_in_the_registry(sentinel)
