"""Seeds trained together (scaleinv.learn.ensemble): each member trains as the textbook loop
would train it alone, up to float32 rounding; blocks are fixed, so a seed's company is."""

from dataclasses import replace

import pytest
import torch

from conftest import tiny_experiments
from scaleinv.datasets.read import read_dataset
from scaleinv.learn.ensemble import compiled_or_eager
from scaleinv.learn.models import make_model
from scaleinv.learn.training import Schedule, Splits, train
from scaleinv.plan.experiments import training_jobs

CPU = torch.device("cpu")
EPOCHS = 3


def train_split(splits):
    return splits.x["train"], splits.y["train"]


def built(experiment, data, seed):
    torch.manual_seed(seed)
    return make_model(experiment, data)


def plain_training(model, x, y, schedule, seed):
    """The textbook loop, one model: its own shuffling and noise generators, fused Adam."""
    optimizer = torch.optim.Adam(model.parameters(), lr=schedule.lr, fused=True)
    order, draws = torch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
    for _ in range(EPOCHS):
        for batch in torch.randperm(len(x), generator=order).split(schedule.batch):
            noise = model.noise(x[batch], draws) if hasattr(model, "noise") else ()
            loss = model.loss(x[batch], None if y is None else y[batch], noise)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
    return model.state_dict()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["mlp", "ae", "rbm"])
def test_a_member_trains_as_it_would_alone(kind, digits_npz):
    """Seed 3 among seeds 0-7 ends where the plain loop takes seed 3 alone, within float32
    rounding (batched matrix products sum in another order: docs, "Seeds trained
    together"); the members differ from one another, and a rerun is byte-identical."""
    experiment = tiny_experiments()[kind]
    schedule = replace(Schedule.of(experiment.settings, "k"), epochs=EPOCHS, snapshots={EPOCHS})
    data = read_dataset(digits_npz, "digits")
    splits = Splits.on(data, CPU)
    seeds = list(range(8))

    def together():
        models = [built(experiment, data, seed) for seed in seeds]
        return [s[EPOCHS] for s, _ in train(models, seeds, data=splits, schedule=schedule)]

    first, again = together(), together()
    alone = plain_training(built(experiment, data, 3), *train_split(splits), schedule, 3)
    for name, weights in alone.items():
        assert torch.allclose(first[3][name], weights, rtol=0, atol=1e-5), name
        assert not torch.equal(first[3][name], first[2][name]), name
        assert all(torch.equal(a[name], b[name]) for a, b in zip(first, again, strict=True))


def test_members_train_on_their_own_subsamples(digits_npz):
    """With n_train, each member trains on its own seeded subsample, as it would alone."""
    experiment = tiny_experiments()["mlp"]
    schedule = replace(Schedule.of(experiment.settings, "k"), epochs=EPOCHS, snapshots={EPOCHS})
    data = read_dataset(digits_npz, "digits")
    splits = Splits.on(data, CPU)
    seeds = [0, 5]
    subsets = [torch.from_numpy(data.train_subset(300, seed)) for seed in seeds]
    models = [built(experiment, data, seed) for seed in seeds]
    results = train(models, seeds, data=splits, schedule=schedule, subsets=subsets)
    for index, seed in enumerate(seeds):
        alone = data.with_train_size(300, seed)
        x_alone, y_alone = train_split(Splits.on(alone, CPU))
        model = built(experiment, data, seed)
        weights = plain_training(model, x_alone, y_alone, schedule, seed)
        snapshot, rows = results[index]
        assert all(
            torch.allclose(snapshot[EPOCHS][k], w, rtol=0, atol=1e-5) for k, w in weights.items()
        )
        assert rows[-1]["train_accuracy"] == pytest.approx(
            model.evaluate(x_alone, y_alone)["accuracy"], abs=1e-6
        )


def test_training_jobs_are_fixed_blocks_of_the_seeds_that_share_a_training():
    """Seeds of every experiment sharing a training (a seed sweep's points and their base)
    train in blocks [8b, 8b + 8): seed 9 never joins seeds 0-7, whatever else is set."""

    def jobs(seeds, ensemble=8, swept=()):
        def edit(config):
            config["experiments"]["mlp"].update(seeds=seeds, ensemble=ensemble)
            config["sweeps"] = (
                {"s": {"base": "mlp", "axes": {"seed": list(swept)}}} if swept else {}
            )

        found = training_jobs(tiny_experiments(edit))
        return [(e.id, block, members) for e, block, members in found if e.name == "mlp"]

    assert jobs([0, 1, 2, 9]) == [("mlp", 0, (0, 1, 2)), ("mlp", 1, (9,))]
    assert jobs([0, 1], swept=[3, 9]) == [("mlp", 0, (0, 1, 3)), ("mlp", 1, (9,))]
    assert jobs([0, 1, 2], ensemble=1) == [("mlp", 0, (0,)), ("mlp", 1, (1,)), ("mlp", 2, (2,))]
    assert jobs([0, 1, 2], ensemble=2) == [("mlp", 0, (0, 1)), ("mlp", 1, (2,))]


def test_a_compile_that_fails_falls_back_to_eager(monkeypatch, caplog):
    """compiled_or_eager: a torch.compile that fails on its first call (no C compiler, say)
    leaves one log line and the eager function, which then serves every call."""
    calls = []

    def failing_compile(function):
        def compiled(*args):
            calls.append(args)
            raise RuntimeError("no C compiler found\n(details)")

        return compiled

    monkeypatch.setattr(torch, "compile", failing_compile)
    double = compiled_or_eager(lambda x: 2 * x)
    with caplog.at_level("WARNING"):
        assert [double(torch.tensor(v)).item() for v in (3.0, 4.0)] == [6.0, 8.0]
    assert len(calls) == 1  # tried once, then eager
    assert "torch.compile failed (RuntimeError: no C compiler found); training eagerly" in (
        caplog.text
    )


@pytest.mark.slow
@pytest.mark.parametrize("seeds", [[3], [0, 3]])
def test_compiled_training_stays_with_eager(seeds, digits_npz, caplog):
    """`compile: true` trains through torch.compile (no fallback) alone and together, and
    ends within float32 rounding of the eager training (fused kernels round differently)."""
    experiment = tiny_experiments()["mlp"]
    data = read_dataset(digits_npz, "digits")
    splits = Splits.on(data, CPU)

    def trained(compiled):
        schedule = Schedule.of(experiment.settings, "k")
        schedule = replace(schedule, epochs=1, snapshots={1}, compile=compiled)
        models = [built(experiment, data, seed) for seed in seeds]
        return [s[1] for s, _ in train(models, seeds, data=splits, schedule=schedule)]

    with caplog.at_level("WARNING"):
        compiled, eager = trained(True), trained(False)
    assert "torch.compile failed" not in caplog.text
    for c, e in zip(compiled, eager, strict=True):
        assert all(torch.allclose(c[k], e[k], rtol=0, atol=1e-4) for k in e)
