"""Seeds trained together vs one seed alone: seconds per epoch of an experiment of
config.yaml on its data, both sides timed in this run (docs, "Seeds trained together").

Alone is the ensemble of one seed, the path `ensemble: 1` takes; together is `--seeds`
seeds as one batched model. Prints both, the throughput gain, how far seed 3's weights
trained together are from seed 3's trained alone (rounding: batched matrix products sum
in another order), and last `ratio <together/alone>` (wall time of one epoch).
Needs the experiment's data file under results/data/. Usage:
    .venv/bin/python benchmarks/bench_ensemble.py [--experiment mlp] [--seeds 8] [--epochs 2]
        [--threads 1]
"""

import argparse
import time
from dataclasses import replace

import torch
from common import experiment_and_data

from scaleinv.learn.models import make_model
from scaleinv.learn.training import Schedule, Splits, train

WATCHED = 3  # the seed compared alone and in company (issue: seed 3 among seeds 0-7)


def timed(experiment, data, seeds, epochs, device):
    """(best seconds per epoch, {seed: final weights}) of `seeds` trained together."""
    models = []
    for seed in seeds:
        torch.manual_seed(seed)
        models.append(make_model(experiment, data, device).to(device))
    schedule = Schedule.of(experiment.settings, "bench")
    schedule = replace(schedule, epochs=epochs, snapshots=frozenset({epochs}))
    start = time.perf_counter()
    results = train(models, seeds, data=Splits.on(data, device), schedule=schedule)
    total = time.perf_counter() - start
    best = min(row["seconds"] for row in results[0][1])
    weights = {seed: snapshots[epochs] for seed, (snapshots, _) in zip(seeds, results, strict=True)}
    return best, total, weights


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", default="mlp")
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (a training job's)")
    args = parser.parse_args()
    experiment, device, data = experiment_and_data(args.experiment, args.threads)
    seeds = list(range(args.seeds))
    print(
        f"{experiment.id} on {experiment.dataset}, {device}, {torch.get_num_threads()} threads, "
        f"best of {args.epochs} epochs"
    )
    alone, alone_total, single = timed(experiment, data, [WATCHED], args.epochs, device)
    together, together_total, batched = timed(experiment, data, seeds, args.epochs, device)
    print(f"alone:    {alone:.3f} s/epoch ({alone_total:.1f} s in all), 1 seed")
    print(f"together: {together:.3f} s/epoch ({together_total:.1f} s in all), {args.seeds} seeds")
    print(f"throughput: {args.seeds * alone / together:.2f}x seeds per second")
    if WATCHED in batched:
        difference = max(
            (single[WATCHED][k] - batched[WATCHED][k]).abs().max().item() for k in single[WATCHED]
        )
        largest = max(w.abs().max().item() for w in single[WATCHED].values())
        print(
            f"seed {WATCHED} alone vs together: largest weight difference {difference:.2e} "
            f"(largest weight {largest:.2f})"
        )
    print(f"ratio {together / alone:.2f}")


if __name__ == "__main__":
    main()
