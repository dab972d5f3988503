"""torch.compile against eager training: seconds per epoch of one seed of an experiment of
config.yaml on its data, both sides timed in this run (docs, "Compiled training").

Prints the eager and the compiled best epoch, the compiled run's first epoch (which holds
the compilation), the epochs a run needs before compiling pays, and last `ratio
<compiled/eager>` (best epoch). Needs the experiment's data file under results/data/:
    .venv/bin/python benchmarks/bench_compile.py [--experiment mlp] [--epochs 3] [--threads 1]
"""

import argparse
import math
from dataclasses import replace

import torch
from common import experiment_and_data

from scaleinv.learn.models import make_model
from scaleinv.learn.training import Schedule, Splits, train


def epoch_seconds(experiment, data, epochs, compiled, device):
    """Seconds of each epoch of seed 0 trained alone, eager or compiled."""
    torch.manual_seed(0)
    model = make_model(experiment, data, device).to(device)
    schedule = Schedule.of(experiment.settings, "bench")
    schedule = replace(schedule, epochs=epochs, snapshots=frozenset(), compile=compiled)
    ((_, rows),) = train([model], [0], data=Splits.on(data, device), schedule=schedule)
    return [row["seconds"] for row in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiment", default="mlp")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (a training job's)")
    args = parser.parse_args()
    experiment, device, data = experiment_and_data(args.experiment, args.threads)
    print(f"{experiment.id} on {experiment.dataset}, {device}, {args.threads} threads")
    eager = epoch_seconds(experiment, data, args.epochs, False, device)
    compiled = epoch_seconds(experiment, data, args.epochs, True, device)
    print(f"eager:    {min(eager):.3f} s/epoch")
    print(f"compiled: {min(compiled):.3f} s/epoch, first epoch {compiled[0]:.1f} s")
    saved = min(eager) - min(compiled)
    overhead = compiled[0] - min(compiled)
    pays = f"after {math.ceil(overhead / saved)} epochs" if saved > 0 else "never"
    print(f"compiling pays {pays}")
    print(f"ratio {min(compiled) / min(eager):.2f}")


if __name__ == "__main__":
    main()
