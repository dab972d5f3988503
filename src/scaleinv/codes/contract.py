"""The codes Parquet contract: results/codes/{experiment}/seed{seed}/epoch{epoch}.parquet.

One row per (sample, layer): sample (uint32), split, label (nullable int16), layer
(x, z1, z2, ...), code (fixed-size binary: the layer's bits packed MSB first, padded
with zero bytes to the widest layer). Key-value metadata `scaleinv` (JSON) records each
layer's bit width and binarization rule, the activation and the experiment (`metadata`).
Writers and readers both go through this module.
"""

import json
import logging
from dataclasses import dataclass

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from scaleinv.errors import ScaleinvError
from scaleinv.inputs import shown
from scaleinv.tables import write_table

log = logging.getLogger(__name__)

METADATA_KEY = b"scaleinv"
SCHEMA_FIELDS = {
    "sample": pa.uint32(),
    "split": pa.string(),
    "label": pa.int16(),
    "layer": pa.string(),
}
# Experiment-level facts in every codes file's metadata, beside each layer's widths and
# binarization; a writer may add more (an external file's source).
METADATA_FIELDS = ("experiment", "kind", "dataset", "seed", "epoch", "activation", "code")


def metadata(experiment, seed, epoch, activation, **extra):
    """The experiment-level metadata of a codes file (every METADATA_FIELDS key, then
    `extra`). experiment: a `plan.experiments.Experiment` (its id, kind, dataset and
    code definition); activation: the network's, or what stands for one (binary, none)."""
    return {
        "experiment": experiment.id,
        "kind": experiment.kind,
        "dataset": experiment.dataset,
        "seed": seed,
        "epoch": epoch,
        "activation": activation,
        "code": experiment.code_definition,
        **extra,
    }


def arrow_schema(code_type, meta):
    """The contract's Arrow schema: SCHEMA_FIELDS, then code of `code_type`, with `meta`
    as the `scaleinv` key-value metadata (JSON, keys sorted: same codes, same bytes)."""
    fields = [pa.field(name, dtype) for name, dtype in SCHEMA_FIELDS.items()]
    return pa.schema(
        [*fields, pa.field("code", code_type)],
        metadata={METADATA_KEY: json.dumps(meta, sort_keys=True).encode()},
    )


def pack(bits):
    """(n, width) 0/1 array -> (n, ceil(width / 8)) uint8, MSB first."""
    return np.packbits(np.asarray(bits, dtype=np.uint8), axis=1, bitorder="big")


def unpack(codes, width):
    """Inverse of `pack` for a (n, nbytes) uint8 array."""
    return np.unpackbits(codes, axis=1, count=width, bitorder="big")


def distinct(bits):
    """Number of distinct rows of a (n, width) 0/1 array, compared as packed bytes."""
    packed = np.ascontiguousarray(pack(bits))
    return len(np.unique(packed.view(f"V{packed.shape[1]}")))


def binary_column(packed):
    """A (n, nbytes) uint8 array as an Arrow fixed-size binary column, without copying rows."""
    packed = np.ascontiguousarray(packed)
    return pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(packed.shape[1]), len(packed), [None, pa.py_buffer(packed.tobytes())]
    )


def integer_code(values, width):
    """Non-negative integers (e.g. k-means cluster ids) as `width`-bit codes."""
    shifts = np.arange(width - 1, -1, -1, dtype=np.uint64)
    return ((np.asarray(values, np.uint64)[:, None] >> shifts) & np.uint64(1)).astype(np.uint8)


@dataclass(frozen=True)
class Layer:
    """The codes of one layer over one split: what a codes file holds per (split, layer)."""

    split: str
    name: str  # x, z1, z2, ...
    bits: np.ndarray  # (n, width) 0/1
    labels: np.ndarray | None  # (n,), or None for unlabelled data
    rule: str  # how activations became bits: threshold, mean, sampled, cluster_id, given
    threshold: float | None = None

    def log_line(self):
        n, width = self.bits.shape
        return (
            f"{self.split} {self.name}: {n} codes of {width} bits, {distinct(self.bits)} distinct"
        )


def codes_table(layers, facts):
    """The Parquet table of `Layer`s; facts: experiment-level metadata (`metadata`)."""
    nbytes = max(-(-layer.bits.shape[1] // 8) for layer in layers)
    columns = {name: [] for name in (*SCHEMA_FIELDS, "code")}
    widths, rules = {}, {}
    for layer in layers:
        n, width = layer.bits.shape
        packed = np.zeros((n, nbytes), np.uint8)
        packed[:, : -(-width // 8)] = pack(layer.bits)
        columns["sample"].append(pa.array(np.arange(n, dtype=np.uint32)))
        columns["split"].append(pa.array([layer.split] * n, pa.string()))
        labels = layer.labels
        columns["label"].append(
            pa.nulls(n, pa.int16()) if labels is None else pa.array(labels.astype(np.int16))
        )
        columns["layer"].append(pa.array([layer.name] * n, pa.string()))
        columns["code"].append(binary_column(packed))
        widths[layer.name] = width
        rules[layer.name] = {"rule": layer.rule, "threshold": layer.threshold}
    schema = arrow_schema(pa.binary(nbytes), {**facts, "widths": widths, "binarization": rules})
    return pa.Table.from_arrays(
        [pa.chunked_array(columns[name]) for name in schema.names], schema=schema
    )


def write_codes(layers, facts, path):
    """Write a codes file, and log each layer's size and number of distinct codes."""
    write_table(codes_table(layers, facts), path)
    for layer in layers:
        log.info(layer.log_line())


def read_layer(path, layer, split):
    """(sample ids, (n, width) bits) of one layer and split of a codes file."""
    meta = read_metadata(path)
    if layer not in meta["widths"]:
        raise ScaleinvError(f"{path} has no layer {layer!r} (layers: {', '.join(meta['widths'])})")
    table = pq.read_table(path, filters=[("layer", "=", layer), ("split", "=", split)])
    codes = np.frombuffer(table["code"].combine_chunks().buffers()[1], np.uint8)
    codes = codes[: table.num_rows * table.schema.field("code").type.byte_width]
    bits = unpack(codes.reshape(table.num_rows, -1), meta["widths"][layer])
    return table["sample"].to_numpy(), bits


def read_metadata(path, fix="delete it and rerun"):
    """The `scaleinv` metadata of a codes file, checking that it is one; `fix` ends the
    error message (a results file is remade; a user's file must be repaired)."""
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowInvalid) as error:
        raise ScaleinvError(f"{path} is not a readable Parquet file ({error}); {fix}") from None
    missing = [name for name in (*SCHEMA_FIELDS, "code") if name not in schema.names]
    if missing or not schema.metadata or METADATA_KEY not in schema.metadata:
        raise ScaleinvError(
            f"{path} is not a codes file (missing {', '.join(missing) or 'scaleinv metadata'}); "
            f"{fix}"
        )
    try:
        meta = json.loads(schema.metadata[METADATA_KEY])
    except ValueError as error:  # not JSON, or not UTF-8
        raise ScaleinvError(f"{path}: its scaleinv metadata is not JSON ({error}); {fix}") from None
    widths = meta.get("widths") if isinstance(meta, dict) else None
    if not isinstance(widths, dict) or not widths:
        raise ScaleinvError(
            f"{path}: its scaleinv metadata must be a JSON object with widths, the bit width "
            f'of each layer (e.g. {{"widths": {{"x": 784, "z1": 30}}}}; got {shown(meta)})'
        )
    bad = {layer: width for layer, width in widths.items() if not _positive_int(width)}
    if bad:
        raise ScaleinvError(
            f"{path}: the widths in its scaleinv metadata must be whole numbers of bits >= 1 "
            f"(got {shown(bad)}); {fix}"
        )
    code = schema.field("code").type
    needed = -(-max(widths.values()) // 8)
    if not pa.types.is_fixed_size_binary(code) or code.byte_width < needed:
        raise ScaleinvError(
            f"{path}: column code must be fixed-size binary of at least {needed} bytes for "
            f"its widest layer ({max(widths, key=widths.get)}: {max(widths.values())} bits); "
            f"got {code}"
        )
    return meta


def _positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def scan_codes(sources):
    """Lazily stack codes files as one Polars frame with the GROUP columns, label and code.
    sources: iterable of (experiment, seed, epoch, path)."""
    frames = []
    for experiment, seed, epoch, path in sources:
        read_metadata(path)  # a clear error for a file that is not a codes table
        frames.append(
            pl.scan_parquet(path).select(
                pl.lit(experiment).alias("experiment"),
                pl.lit(seed, pl.Int32).alias("seed"),
                pl.lit(epoch, pl.Int32).alias("epoch"),
                "layer",
                "split",
                "label",
                "code",
            )
        )
    if not frames:
        raise ScaleinvError("no codes files to aggregate; check the experiment's snapshots")
    return pl.concat(frames)
