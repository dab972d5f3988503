"""Training: the whole dataset lives on the device as tensors; one log line per epoch.

Snapshots (state dicts) are held in memory and written only after the last epoch, so
a run that fails (a NaN loss, say) leaves no checkpoint that looks valid.
"""

import logging
import math
import time
from dataclasses import dataclass, fields

import torch

from scaleinv.datasets.read import read_dataset
from scaleinv.errors import ScaleinvError
from scaleinv.learn.ensemble import Ensemble
from scaleinv.learn.models import make_model
from scaleinv.learn.snapshots import save_snapshot
from scaleinv.plan.kinds import KINDS
from scaleinv.tables import write_table

log = logging.getLogger(__name__)

OPTIMIZERS = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}
EVAL_CHUNK = 10_000
PROGRESS_SECONDS = 20  # within an epoch, a progress line at least this often (< 30 s apart)


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


@dataclass(frozen=True)
class Splits:
    """A data set's tensors on one device: x and y as {split: tensor}, y's values None for
    unlabelled data."""

    x: dict
    y: dict

    @classmethod
    def on(cls, dataset, device):
        return cls(on_device(dataset.x, device), on_device(dataset.y, device))

    @property
    def device(self):
        return self.x["train"].device

    def with_train(self, subset):
        """The training split cut to `subset` (no copy when it is all of it)."""
        if len(subset) == len(self.x["train"]):
            return self
        y_train = self.y["train"]
        return Splits(
            {**self.x, "train": self.x["train"][subset]},
            {**self.y, "train": None if y_train is None else y_train[subset]},
        )


@dataclass(frozen=True)
class Schedule:
    """How the members train: an experiment's training settings, and the key that names
    them in messages (experiments.mlp, sweeps.mlp_width)."""

    key: str
    optimizer: str  # a key of OPTIMIZERS
    lr: float
    batch: int
    epochs: int
    snapshots: frozenset  # epochs whose state dicts are kept (0: untrained)
    compile: bool

    @classmethod
    def of(cls, settings, key):
        """From an experiment's settings (the config entry, schema defaults filled)."""
        names = [field.name for field in fields(cls) if field.name != "key"]
        values = {name: settings[name] for name in names}
        return cls(key=key, **{**values, "snapshots": frozenset(values["snapshots"])})


def train(models, seeds, *, data, schedule, subsets=None):
    """Train `models` (one per seed, initialised) together on data.x['train'] (Splits) by
    `schedule`; return, per member, ({epoch: state_dict}, metrics rows with the epoch's
    seconds). `subsets`: per member, the indices of the training samples it trains on (a
    seeded subsample of one size), or None: all.

    Shuffling draws from a CPU generator seeded with the member's seed, so the batch order
    is the same on every device; stochastic models (the RBM) draw their noise from a
    device generator seeded likewise.
    """
    # Denormal floats cost a CPU 10-100x per operation: three RBMs trained together slowed
    # from 4.7 s to 8-10 s per epoch after the first; flushed to zero they stay at 4.6 s.
    torch.set_flush_denormal(True)
    ensemble = Ensemble(models, schedule.compile)
    # fused: one kernel per step instead of one per parameter (1.5 -> 1.1 s per MLP epoch).
    optimizer = OPTIMIZERS[schedule.optimizer](
        ensemble.parameters.values(), lr=schedule.lr, fused=True
    )
    order_generators = [torch.Generator().manual_seed(seed) for seed in seeds]
    noise_generators = [torch.Generator(data.device).manual_seed(seed) for seed in seeds]
    subsets = subsets or [torch.arange(len(data.x["train"]), device=data.device) for _ in seeds]
    member_data = [data.with_train(subset) for subset in subsets]
    snapshots, rows = [{} for _ in seeds], [[] for _ in seeds]
    for index in range(len(seeds)):
        if 0 in schedule.snapshots:
            snapshots[index][0] = ensemble.state_dict(index)
    for epoch in range(1, schedule.epochs + 1):
        start = time.perf_counter()
        for member in ensemble.members:
            member.train()  # _metrics switched it to eval (the vmapped copy never leaves train)
        batches = _shuffled(subsets, order_generators).split(schedule.batch, dim=1)
        label = f"epoch {epoch}/{schedule.epochs}"
        totals = _epoch(ensemble, optimizer, data, batches, noise_generators, label)
        seconds = time.perf_counter() - start
        log.info("epoch %d/%d %.2fs for seeds %s", epoch, schedule.epochs, seconds, list(seeds))
        for index, seed in enumerate(seeds):
            _check_loss(totals[index], epoch, seed, schedule)
            row = {"epoch": epoch, **_metrics(ensemble.members[index], member_data[index])}
            log.info("epoch %d/%d seed %d %s", epoch, schedule.epochs, seed,
                     " ".join(f"{k}={v:.4f}" for k, v in row.items() if k != "epoch"))  # fmt: skip
            rows[index].append({**row, "seconds": seconds})
            if epoch in schedule.snapshots:
                snapshots[index][epoch] = ensemble.state_dict(index)
    return list(zip(snapshots, rows, strict=True))


def _shuffled(subsets, order_generators):
    """Each member's training samples in its own seeded order: (members, samples) indices."""
    return torch.stack([
        subset[torch.randperm(len(subset), generator=g).to(subset.device)]
        for subset, g in zip(subsets, order_generators, strict=True)
    ])  # fmt: skip


def _epoch(ensemble, optimizer, data, batches, noise_generators, label):
    """One pass of every member over `batches` ((members, batch) indices into the training
    split of `data`); returns each member's summed loss. A long epoch logs the share of its
    batches done every PROGRESS_SECONDS, so a user following the log sees it move."""
    x_train, y_train = data.x["train"], data.y["train"]
    total = torch.zeros(len(ensemble), device=data.device)
    start = last = time.perf_counter()
    for done, indices in enumerate(batches):
        if time.perf_counter() - last >= PROGRESS_SECONDS:
            last = time.perf_counter()
            log.info("%s: %d/%d batches (%.0f %%) in %.0f s", label, done, len(batches),
                     100 * done / len(batches), last - start)  # fmt: skip
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


def _check_loss(total, epoch, seed, schedule):
    """A diverged loss is an error: its snapshots would look valid and mean nothing."""
    if not math.isfinite(total):
        raise ScaleinvError(
            f"{schedule.key}: the training loss became {total} in epoch {epoch} (seed {seed}); "
            f"lower {schedule.key}.lr (got {schedule.lr}) or check the data"
        )


def _metrics(model, data):
    """{split_metric: value} of one member over every split of `data` (Splits)."""
    model.eval()
    row = {}
    for split in data.x:
        for name, value in evaluate(model, data.x[split], data.y[split]).items():
            row[f"{split}_{name}"] = value
    return row


def train_experiment(experiment, seeds, threads, dataset_path, snapshot_paths, metrics_paths):
    """Train the seeds `seeds` of `experiment` together on `threads` CPU threads; write, per
    seed, a snapshot per epoch of experiment.snapshots (`snapshot_paths`: seed-major, epochs
    in that order) and the metrics Parquet (`metrics_paths`, one per seed).

    Seconds per epoch go to the log only: the metrics table, like every table, must be
    byte-identical for the same config and seed."""
    torch.set_num_threads(threads)
    device = resolve_device(experiment.settings["device"], f"{experiment.key}.device")
    dataset = read_dataset(dataset_path, experiment.dataset)
    if KINDS[experiment.kind].deduplicates:  # a null: distinct inputs only
        dataset = dataset.deduplicated()
    n_train = experiment.settings["n_train"]
    subsets = None
    if n_train is not None:
        subsets = [torch.from_numpy(dataset.train_subset(n_train, s)).to(device) for s in seeds]
    models = []
    for seed in seeds:
        torch.manual_seed(seed)
        models.append(make_model(experiment, dataset, device).to(device))
    log.info("%s seeds %s on %s, trained together: %s", experiment.id, list(seeds), device,
             models[0])  # fmt: skip
    results = train(
        models,
        seeds,
        data=Splits.on(dataset, device),
        schedule=Schedule.of(experiment.settings, experiment.key),
        subsets=subsets,
    )
    epochs = len(experiment.snapshots)
    for index, (snapshots, rows) in enumerate(results):
        paths = snapshot_paths[index * epochs : (index + 1) * epochs]
        for epoch, path in zip(experiment.snapshots, paths, strict=True):
            save_snapshot(snapshots[epoch], path)
        write_table([{k: v for k, v in row.items() if k != "seconds"} for row in rows],
                    metrics_paths[index])  # fmt: skip
