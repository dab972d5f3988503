"""The figure catalog: every figure has a config entry, a caption and a drawing function."""

from importlib import import_module

import yaml

from conftest import REPO
from scaleinv.plan.figures import FIGURES

SCHEMA = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text())


def test_every_catalogued_figure_has_an_entry_a_caption_and_a_function():
    entries = set(SCHEMA["properties"]["figures"]["properties"]) - {"style"}
    assert entries == set(FIGURES)
    for name, figure in FIGURES.items():
        assert (REPO / f"workflow/report/{name}.rst").read_text().strip()
        module, function = figure.draw.split(":")
        assert callable(getattr(import_module(f"scaleinv.plots.{module}"), function))
        assert figure.table in ("degeneracy", "information", "fits")
