"""Dataset files as float tensors in [0, 1], for training and coding."""

from dataclasses import dataclass

import numpy as np
import torch

from scaleinv.errors import ScaleinvError
from scaleinv.experiments import IMAGE_SHAPES


@dataclass
class Splits:
    """Inputs x (float32 in [0, 1]) and labels y (int64, or None) per split."""

    x: dict
    y: dict

    @property
    def names(self):
        return list(self.x)


def load_splits(path, dataset, conv, device="cpu"):
    """Read results/data/{dataset}.npz. Images are scaled from 0..255; Ising spins are
    0/1 already. `conv` reshapes images to (n, channels, H, W) for the CNN."""
    try:
        archive = np.load(path)
    except (OSError, ValueError) as error:
        raise ScaleinvError(
            f"{path} is not a readable dataset file ({error}); delete it and rerun"
        ) from None
    with archive:
        splits = [s for s in ("train", "test") if f"x_{s}" in archive.files]
        if "train" not in splits:
            raise ScaleinvError(f"{path} has no x_train; delete it and rerun")
        scale = 1.0 if dataset.startswith("ising_") else 255.0
        x, y = {}, {}
        for split in splits:
            values = torch.from_numpy(archive[f"x_{split}"].astype(np.float32) / scale)
            if conv:
                values = values.reshape(len(values), *IMAGE_SHAPES[dataset])
            x[split] = values.to(device)
            if f"y_{split}" in archive.files:
                y[split] = torch.from_numpy(archive[f"y_{split}"].astype(np.int64)).to(device)
            else:
                y[split] = None
    if len(x["train"]) == 0:
        raise ScaleinvError(f"{path}: the training split is empty")
    return Splits(x, y)
