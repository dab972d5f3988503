"""Training: the whole dataset lives on the device as tensors; one log line per epoch.

Snapshots (state dicts) are held in memory and written only after the last epoch, so
a run that fails (a NaN loss, say) leaves no checkpoint that looks valid.
"""

import logging
import math
import time

import torch

from scaleinv.datasets.read import read_dataset
from scaleinv.errors import ScaleinvError
from scaleinv.learn.ensemble import Ensemble
from scaleinv.learn.models import make_model
from scaleinv.learn.snapshots import save_snapshot
from scaleinv.tables import write_table

log = logging.getLogger(__name__)

OPTIMIZERS = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}
EVAL_CHUNK = 10_000


def resolve_device(requested, key):
    """torch.device for config value `requested` (auto|cpu|cuda); `key` names it in errors."""
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if requested == "cuda" and not torch.cuda.is_available():
        raise ScaleinvError(f"{key} is cuda, but no CUDA device is available here; use auto or cpu")
    return torch.device(requested)


def evaluate(model, x, y):
    """model.evaluate over chunks of x, each metric averaged with chunk-size weights."""
    totals = {}
    for start in range(0, len(x), EVAL_CHUNK):
        stop = min(start + EVAL_CHUNK, len(x))
        part = model.evaluate(x[start:stop], None if y is None else y[start:stop])
        for name, value in part.items():
            totals[name] = totals.get(name, 0.0) + value * (stop - start)
    return {name: total / len(x) for name, total in totals.items()}


def on_device(arrays, device):
    """{split: array or None} as torch tensors on `device`."""
    return {
        split: None if a is None else torch.from_numpy(a).to(device) for split, a in arrays.items()
    }


def train(models, seeds, x, y, settings, device, key, subsets=None):
    """Train `models` (one per seed, initialised) together on x['train']; return, per
    member, ({epoch: state_dict}, metrics rows with the epoch's seconds). x and y: {split:
    tensor} (y's values None for unlabelled data); `subsets`: per member, the indices of
    the training samples it trains on (a seeded subsample of one size), or None: all.

    Shuffling draws from a CPU generator seeded with the member's seed, so the batch order
    is the same on every device; stochastic models (the RBM) draw their noise from a
    device generator seeded likewise.
    """
    # Denormal floats cost a CPU 10-100x per operation: three RBMs trained together slowed
    # from 4.7 s to 8-10 s per epoch after the first; flushed to zero they stay at 4.6 s.
    torch.set_flush_denormal(True)
    ensemble = Ensemble(models, settings["compile"])
    # fused: one kernel per step instead of one per parameter (1.5 -> 1.1 s per MLP epoch).
    optimizer = OPTIMIZERS[settings["optimizer"]](
        ensemble.parameters.values(), lr=settings["lr"], fused=True
    )
    order_generators = [torch.Generator().manual_seed(seed) for seed in seeds]
    noise_generators = [torch.Generator(device).manual_seed(seed) for seed in seeds]
    subsets = subsets or [torch.arange(len(x["train"]), device=device) for _ in seeds]
    member_splits = [_with_train(x, y, subset) for subset in subsets]
    snapshots, rows = [{} for _ in seeds], [[] for _ in seeds]
    wanted = set(settings["snapshots"])
    for index in range(len(seeds)):
        if 0 in wanted:
            snapshots[index][0] = ensemble.state_dict(index)
    for epoch in range(1, settings["epochs"] + 1):
        start = time.perf_counter()
        for member in ensemble.members:
            member.train()  # _metrics switched it to eval (the vmapped copy never leaves train)
        totals = _epoch(ensemble, optimizer, x["train"], y["train"], subsets, settings["batch"],
                        order_generators, noise_generators)  # fmt: skip
        seconds = time.perf_counter() - start
        log.info("epoch %d/%d %.2fs for seeds %s", epoch, settings["epochs"], seconds, list(seeds))
        for index, seed in enumerate(seeds):
            row = _metrics(ensemble.members[index], *member_splits[index], epoch, totals[index],
                           settings, seed, key)  # fmt: skip
            rows[index].append({**row, "seconds": seconds})
            if epoch in wanted:
                snapshots[index][epoch] = ensemble.state_dict(index)
    return list(zip(snapshots, rows, strict=True))


def _with_train(x, y, subset):
    """x and y with the training split cut to `subset` (no copy when it is all of it)."""
    if len(subset) == len(x["train"]):
        return x, y
    y_train = y["train"]
    return {**x, "train": x["train"][subset]}, {
        **y,
        "train": None if y_train is None else y_train[subset],
    }


def _epoch(ensemble, optimizer, x_train, y_train, subsets, batch, order_generators,
           noise_generators):  # fmt: skip
    """One pass of every member over its training samples (`subsets`, one size); returns
    each member's summed loss."""
    orders = torch.stack([
        subset[torch.randperm(len(subset), generator=g).to(subset.device)]
        for subset, g in zip(subsets, order_generators, strict=True)
    ])  # fmt: skip
    total = torch.zeros(len(ensemble), device=x_train.device)
    for indices in orders.split(batch, dim=1):
        x = _rows(x_train, indices)
        noise = ensemble.noise(x, noise_generators)
        losses = ensemble.losses(x, None if y_train is None else _rows(y_train, indices), noise)
        optimizer.zero_grad(set_to_none=True)
        losses.sum().backward()
        optimizer.step()
        total += losses.detach() * indices.shape[1]
    return total.tolist()


def _rows(tensor, indices):
    """tensor[indices] for (members, batch) indices; index_select gathers 6x faster."""
    return tensor.index_select(0, indices.flatten()).view(*indices.shape, *tensor.shape[1:])


def _metrics(model, x, y, epoch, total, settings, seed, key):
    """The metrics row of one member after `epoch`, logged; a diverged loss is an error."""
    if not math.isfinite(total):
        raise ScaleinvError(
            f"{key}: the training loss became {total} in epoch {epoch} (seed {seed}); "
            f"lower {key}.lr (got {settings['lr']}) or check the data"
        )
    model.eval()
    row = {"epoch": epoch}
    for split in x:
        for name, value in evaluate(model, x[split], y[split]).items():
            row[f"{split}_{name}"] = value
    log.info(
        "epoch %d/%d seed %d %s", epoch, settings["epochs"], seed,
        " ".join(f"{k}={v:.4f}" for k, v in row.items() if k != "epoch"),
    )  # fmt: skip
    return row


def train_experiment(experiment, seeds, threads, dataset_path, snapshot_paths, metrics_paths):
    """Train the seeds `seeds` of `experiment` together on `threads` CPU threads; write, per
    seed, a snapshot per epoch of experiment.snapshots (`snapshot_paths`: seed-major, epochs
    in that order) and the metrics Parquet (`metrics_paths`, one per seed).

    Seconds per epoch go to the log only: the metrics table, like every table, must be
    byte-identical for the same config and seed."""
    torch.set_num_threads(threads)
    key = experiment.key
    device = resolve_device(experiment.settings["device"], f"{key}.device")
    data = read_dataset(dataset_path, experiment.dataset)
    x, y = on_device(data.x, device), on_device(data.y, device)
    n_train = experiment.settings["n_train"]
    subsets = None
    if n_train is not None:
        subsets = [torch.from_numpy(data.train_subset(n_train, s)).to(device) for s in seeds]
    models = []
    for seed in seeds:
        torch.manual_seed(seed)
        models.append(make_model(experiment, data, device).to(device))
    log.info("%s seeds %s on %s, trained together: %s", experiment.id, list(seeds), device,
             models[0])  # fmt: skip
    results = train(models, seeds, x, y, experiment.settings, device, key, subsets)
    epochs = len(experiment.snapshots)
    for index, (snapshots, rows) in enumerate(results):
        paths = snapshot_paths[index * epochs : (index + 1) * epochs]
        for epoch, path in zip(experiment.snapshots, paths, strict=True):
            save_snapshot(snapshots[epoch], path)
        write_table([{k: v for k, v in row.items() if k != "seconds"} for row in rows],
                    metrics_paths[index])  # fmt: skip
