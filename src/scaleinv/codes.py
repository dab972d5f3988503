"""The codes Parquet contract: results/codes/{experiment}/seed{seed}/epoch{epoch}.parquet.

One row per (sample, layer): sample (uint32), split, label (nullable int16), layer
(x, z1, z2, ...), code (fixed-size binary: the layer's bits packed MSB first, padded
with zero bytes to the widest layer). Key-value metadata `scaleinv` (JSON) records each
layer's bit width and binarization rule, the activation and the experiment. Writers
and readers both go through this module; it needs numpy and pyarrow only.
"""

import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from scaleinv.atomic import atomic_path
from scaleinv.errors import ScaleinvError

METADATA_KEY = b"scaleinv"
SCHEMA_FIELDS = {
    "sample": pa.uint32(),
    "split": pa.string(),
    "label": pa.int16(),
    "layer": pa.string(),
}


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


def codes_table(layers, metadata):
    """Build the Parquet table.

    layers: list of dicts with keys split, layer, bits ((n, width) 0/1), labels (n,) or
    None, rule (dict describing the binarization). metadata: experiment-level facts.
    """
    nbytes = max(-(-part["bits"].shape[1] // 8) for part in layers)
    columns = {name: [] for name in (*SCHEMA_FIELDS, "code")}
    widths, rules = {}, {}
    for part in layers:
        n, width = part["bits"].shape
        packed = np.zeros((n, nbytes), np.uint8)
        packed[:, : -(-width // 8)] = pack(part["bits"])
        columns["sample"].append(pa.array(np.arange(n, dtype=np.uint32)))
        columns["split"].append(pa.array([part["split"]] * n, pa.string()))
        labels = part["labels"]
        columns["label"].append(
            pa.nulls(n, pa.int16()) if labels is None else pa.array(labels.astype(np.int16))
        )
        columns["layer"].append(pa.array([part["layer"]] * n, pa.string()))
        columns["code"].append(binary_column(packed))
        widths[part["layer"]] = width
        rules[part["layer"]] = part["rule"]
    meta = {**metadata, "widths": widths, "binarization": rules}
    schema = pa.schema(
        [pa.field(k, t) for k, t in SCHEMA_FIELDS.items()] + [pa.field("code", pa.binary(nbytes))],
        metadata={METADATA_KEY: json.dumps(meta, sort_keys=True).encode()},
    )
    return pa.Table.from_arrays(
        [pa.chunked_array(columns[name]) for name in schema.names], schema=schema
    )


def write_codes(table, path):
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


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


def read_metadata(path):
    """The `scaleinv` metadata of a codes file, checking that it is one."""
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowInvalid) as error:
        raise ScaleinvError(
            f"{path} is not a readable Parquet file ({error}); delete it and rerun"
        ) from None
    missing = [name for name in (*SCHEMA_FIELDS, "code") if name not in schema.names]
    if missing or not schema.metadata or METADATA_KEY not in schema.metadata:
        raise ScaleinvError(
            f"{path} is not a codes file (missing {', '.join(missing) or 'scaleinv metadata'}); "
            "delete it and rerun"
        )
    return json.loads(schema.metadata[METADATA_KEY])
