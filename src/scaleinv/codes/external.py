"""Bring your own codes: kind `external` analyses codes made outside the workflow.

Two inputs are accepted (docs, "Analysing your own codes"):
- a codes Parquet file in the contract of `scaleinv.codes` (its metadata needs at least
  each layer's bit width), checked and copied with the experiment's metadata;
- an .npz of float activations, arrays named `<layer>_<split>` (z1_train, z1_test, ...;
  a train split is required) with optional integer labels `y_<split>`, binarized by the
  experiment's `activation` like a network's layers (`scaleinv.codes.binarization`).
"""

import re

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from scaleinv.codes import SCHEMA_FIELDS, Layer, arrow_schema, metadata, read_metadata, write_codes
from scaleinv.codes.binarization import GIVEN, activation_rule
from scaleinv.errors import ScaleinvError
from scaleinv.tables import write_table

ACTIVATION_NAME = re.compile(r"^(?P<layer>\w+?)_(?P<split>train|test)$")
FIX = "write it in the codes contract (docs/own-codes.md)"
# What a codes file says of its own codes, kept over the experiment's word for it.
DESCRIPTIVE = ("dataset", "activation", "code")


def write_external_codes(experiment, seed, source, codes_path):
    """Codes of an external experiment's `source` (.parquet codes or .npz activations)."""
    settings = experiment.settings
    if str(source).endswith(".npz"):
        layers = binarize_activations(
            source, settings["activation"], settings["binarization"]["threshold"]
        )
        facts = metadata(experiment, seed, 0, settings["activation"], source=str(source))
        write_codes(layers, facts, codes_path)
    else:
        facts = metadata(experiment, seed, 0, activation="unknown", source=str(source))
        write_table(checked_codes(source, facts), codes_path)


def checked_codes(path, facts):
    """The codes table at `path`, its columns cast to the contract's types and its metadata
    merged with `facts` (its own DESCRIPTIVE keys and binarization kept); a file that breaks
    the contract is one clear error."""
    found = read_metadata(path, FIX)  # names missing columns, metadata or too narrow codes
    table = pq.read_table(path)
    columns = []
    for name, dtype in SCHEMA_FIELDS.items():
        try:
            columns.append(table[name].cast(dtype))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
            raise ScaleinvError(
                f"{path}: column {name} must hold {dtype} values ({error})"
            ) from None
    layers = set(table["layer"].unique().to_pylist())
    if layers != set(found["widths"]):
        raise ScaleinvError(
            f"{path}: the layers in column layer ({', '.join(sorted(layers))}) differ from "
            f"those in its metadata widths ({', '.join(sorted(found['widths']))})"
        )
    merged = {
        "binarization": {layer: {"rule": GIVEN, "threshold": None} for layer in layers},
        **facts,
        **found,
        **{key: value for key, value in facts.items() if key not in DESCRIPTIVE},
    }
    schema = arrow_schema(table.schema.field("code").type, merged)
    return pa.Table.from_arrays([*columns, table["code"]], schema=schema)


def binarize_activations(path, activation, threshold):
    """`Layer`s of an activations .npz, binarized per `binarization.activation_rule`."""
    try:
        archive = np.load(path)
    except (OSError, ValueError) as error:
        raise ScaleinvError(f"{path} is not a readable .npz file ({error})") from None
    with archive:
        arrays = {name: archive[name] for name in archive.files}
    matches = {name: ACTIVATION_NAME.match(name) for name in arrays if not name.startswith("y_")}
    unknown = [name for name, match in matches.items() if match is None]
    if unknown or not any(m["split"] == "train" for m in matches.values() if m):
        raise ScaleinvError(
            f"{path}: arrays must be named <layer>_train / <layer>_test (and y_train, y_test "
            f"for labels), with at least one <layer>_train; got {', '.join(arrays)}"
        )
    layers = []
    for name, match in matches.items():
        values = arrays[name]
        layer, split = match["layer"], match["split"]
        train = arrays.get(f"{layer}_train")
        if values.ndim != 2 or train is None or values.shape[1] != train.shape[1]:
            raise ScaleinvError(
                f"{path}: {name} must be a 2-D (samples, units) array with as many units as "
                f"{layer}_train (got shape {values.shape})"
            )
        labels = arrays.get(f"y_{split}")
        if labels is not None and len(labels) != len(values):
            raise ScaleinvError(
                f"{path}: y_{split} has {len(labels)} labels for {len(values)} samples"
            )
        train_mean = lambda t=train: float(np.mean(t, dtype=np.float64))  # noqa: E731
        rule, cut = activation_rule(activation, threshold, train_mean)
        layers.append(Layer(split, layer, (values > cut).astype(np.uint8), labels, rule, cut))
    return layers
