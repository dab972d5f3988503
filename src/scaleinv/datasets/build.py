"""Build an image dataset in the contract of `results/data/{dataset}.npz`."""

import logging
import tempfile
from pathlib import Path

from scaleinv.atomic import save_npz
from scaleinv.datasets.catalog import DATASETS
from scaleinv.datasets.sources import locate
from scaleinv.errors import ScaleinvError

log = logging.getLogger(__name__)


def write_image_dataset(dataset, recipe, sources, path):
    """Write `results/data/{dataset}.npz`. recipe: what fixes the content (the config entry
    datasets.<dataset> less its urls); sources: where the files may be found (the config
    block `data`: mirrors, cache, download; and the dataset's urls)."""
    spec = {**recipe, "urls": sources["urls"]}
    save_npz(path, build_dataset(dataset, spec, sources))


def build_dataset(dataset, spec, data):
    """Arrays of `dataset` from verified original files.

    spec: the config entry datasets.<dataset> (over the catalog's digests and urls); data:
    the config block `data` (mirrors, cache, download).
    """
    catalogued = DATASETS[dataset]
    spec = catalogued.configured(spec)
    files = locate(
        dataset,
        catalogued.files,
        spec.get("checksums", {}),
        spec.get("urls", []),
        data["mirrors"],
        Path(data["cache"]) / dataset,
        data["download"],
    )
    Path(data["cache"]).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data["cache"], prefix=f".{dataset}-") as workdir:
        arrays = catalogued.load(files, spec, Path(workdir))
    for split in ("train", "test"):
        if len(arrays[f"x_{split}"]) == 0:
            settings = {k: v for k, v in spec.items() if k not in ("checksums", "urls")}
            raise ScaleinvError(
                f"dataset {dataset}: the {split} split is empty; check datasets.{dataset} "
                f"in the config (got {settings})"
            )
        labels = arrays[f"y_{split}"]
        if labels.max() >= catalogued.classes:  # a loader's bug would pass unnoticed to training
            raise ScaleinvError(
                f"dataset {dataset}: the {split} split has label {labels.max()}, beyond its "
                f"{catalogued.classes} classes; replace its original files"
            )
        log.info("%s: %s split %s", dataset, split, arrays[f"x_{split}"].shape)
    return arrays
