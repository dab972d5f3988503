"""Read a dataset file (`results/data/{dataset}.npz`) as float arrays: the one reader that
training, code extraction, k-means and t-SNE share. numpy only."""

import zipfile
import zlib
from dataclasses import dataclass

import numpy as np

from scaleinv.datasets.catalog import DATASETS
from scaleinv.errors import ScaleinvError

PIXEL_SCALE = 255.0  # image files hold uint8 pixels; Ising files hold spins as 0/1


@dataclass(frozen=True)
class Dataset:
    """Inputs x (float32 in [0, 1], (n, features)) and labels y (int64, or None) per split."""

    name: str
    x: dict
    y: dict

    @property
    def splits(self):
        return list(self.x)

    @property
    def features(self):
        return self.x["train"].shape[1]

    @property
    def image_shape(self):
        """(channels, height, width) of an image dataset; None for Ising data."""
        return DATASETS[self.name].shape if self.name in DATASETS else None

    @property
    def n_classes(self):
        labels = self.y["train"]
        return 0 if labels is None else int(labels.max()) + 1

    def with_train_size(self, n_train, seed):
        """This dataset with its training split cut to `train_subset(n_train, seed)`."""
        keep = self.train_subset(n_train, seed)
        if keep is None:
            return self
        y = self.y["train"]
        return Dataset(
            self.name,
            {**self.x, "train": self.x["train"][keep]},
            {**self.y, "train": None if y is None else y[keep]},
        )

    def deduplicated(self):
        """This dataset with each split's repeated inputs dropped: the first of each
        distinct input kept, in their original order, with its label."""
        x, y = {}, {}
        for split, values in self.x.items():
            rows = np.ascontiguousarray(values)
            _, first = np.unique(rows.view(f"V{rows.strides[0]}"), return_index=True)
            keep = np.sort(first)
            x[split] = values[keep]
            y[split] = None if self.y[split] is None else self.y[split][keep]
        return Dataset(self.name, x, y)

    def train_subset(self, n_train, seed):
        """Indices of a seeded subsample of `n_train` training samples in their original
        order (None: all, no subsample). Each run seed draws its own subsample, so a spread
        over seeds includes the spread over training sets."""
        if n_train is None:
            return None
        rng = np.random.default_rng([seed, n_train])
        return np.sort(rng.choice(len(self.x["train"]), n_train, replace=False))


def read_dataset(path, name):
    """Dataset `name` (an image dataset id, or ising_L{L}_T{T}) from its .npz file; a
    truncated or foreign file is one clear error, never a partial dataset."""
    try:
        with np.load(path) as archive:
            arrays = {member: archive[member] for member in archive.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise ScaleinvError(
            f"{path} is not a readable dataset file ({error}); delete it and rerun"
        ) from None
    splits = [s for s in ("train", "test") if f"x_{s}" in arrays]
    if "train" not in splits:
        raise ScaleinvError(f"{path} has no x_train; delete it and rerun")
    mismatched = [
        s for s in splits if f"y_{s}" in arrays and len(arrays[f"y_{s}"]) != len(arrays[f"x_{s}"])
    ]
    if mismatched or any(arrays[f"x_{s}"].ndim != 2 for s in splits):
        raise ScaleinvError(
            f"{path} is not a dataset file of this workflow (x_<split> must be 2-D with one "
            "label per row); delete it and rerun"
        )
    scale = PIXEL_SCALE if name in DATASETS else 1.0
    x = {split: arrays[f"x_{split}"].astype(np.float32) / scale for split in splits}
    y = {
        split: arrays[f"y_{split}"].astype(np.int64) if f"y_{split}" in arrays else None
        for split in splits
    }
    if len(x["train"]) == 0:
        raise ScaleinvError(f"{path}: the training split is empty")
    return Dataset(name, x, y)
