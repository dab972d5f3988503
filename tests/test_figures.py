"""The figure catalog: every figure has a config entry, a caption and a drawing function."""

from importlib import import_module

import pytest
import yaml

from conftest import REPO
from scaleinv.plan.figures import CONFIGURED, FIGURES

SCHEMA = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text())


def test_every_catalogued_figure_has_an_entry_a_caption_and_a_function():
    entries = SCHEMA["properties"]["figures"]["properties"]
    assert set(entries) - {"style"} == set(CONFIGURED)
    for name, figure in FIGURES.items():
        caption = f"{name}_figure.rst" if figure.per else f"{name}.rst"
        assert (REPO / f"workflow/report/{caption}").read_text().strip()
        module, function = figure.draw.split(":")
        assert callable(getattr(import_module(f"scaleinv.plots.{module}"), function))
        assert figure.table in ("degeneracy", "information", "fits", "sweeps", "scaling")
        if name in CONFIGURED:  # the schema's default entry draws the catalog's size
            default = entries[name]["default"]
            assert (default["width"], default["height"]) == (figure.width, figure.height)


def test_the_relevance_figure_draws_the_frontier_over_the_whole_plane_above_every_layer():
    """Layers of Zipf-sized clusters and all singletons under the frontier, drawn from
    H(Z) = 0 (one cluster) to log M (all singletons), never above the diagonal, with the
    axes in nats."""
    import matplotlib.pyplot as plt
    import numpy as np
    import polars as pl

    from scaleinv.plots.statistics_figures import relevance_resolution

    rng, M, rows = np.random.default_rng(0), 5000, []
    for layer, sizes in (("z1", rng.zipf(1.8, M)), ("z2", rng.zipf(2.5, M)), ("z3", [1] * M)):
        sizes = np.asarray(sizes)[np.cumsum(sizes) <= M]
        k, m = np.unique(np.append(sizes, M - sizes.sum()), return_counts=True)  # sums to M
        k, m = k[k > 0].astype(float), m[k > 0]
        q = k * m / M
        rows.append({"experiment": "a", "seed": 0, "epoch": 3, "layer": layer, "split": "train",
                     "M": M, "H_Z": np.sum(q * np.log(M / k)), "H_K": -np.sum(q * np.log(q))})  # fmt: skip
    figure = plt.figure()
    relevance_resolution(figure, pl.DataFrame(rows), {}, {"a": {"control": False, "null": False}})
    ax = figure.axes[0]
    diagonal, frontier = ax.lines
    h_z, h_k = frontier.get_data()
    assert h_z[0] == 0 and h_z[-1] == pytest.approx(np.log(M)) and h_k[0] == h_k[-1] == 0
    assert np.all(h_k <= h_z + 1e-12) and diagonal.get_label() == "H(K) = H(Z)"
    points = np.concatenate([collection.get_offsets() for collection in ax.collections])
    assert len(points) == 3 and np.all(points[:, 1] <= np.interp(points[:, 0], h_z, h_k) + 1e-9)
    assert (
        ax.get_xlabel() == "resolution H(Z) [nats]" and ax.get_ylabel() == "relevance H(K) [nats]"
    )
    plt.close(figure)


@pytest.mark.parametrize("n", [3, 10, 11, 24, 60, 70])
def test_every_experiment_of_a_sweep_gets_its_own_colour(n):
    """The robustness config draws 24 experiments in one relevance panel; tab10 gave every
    tenth the same colour."""
    from scaleinv.plots.statistics_figures import distinct_colours

    colours = {tuple(round(channel, 6) for channel in colour) for colour in distinct_colours(n)}
    assert len(colours) == n
