"""Bring your own codes: kind `external` analyses codes made outside the workflow.

Two inputs are accepted (docs, "Analysing your own codes"):
- a codes Parquet file in the contract of `scaleinv.codes` (its metadata needs at least
  each layer's bit width), checked and copied with the experiment's metadata;
- an .npz of float activations, arrays named `<layer>_<split>` (z1_train, z1_test, ...;
  a train split is required) with optional integer labels `y_<split>`, binarized by the
  experiment's `activation` like a network's layers (`scaleinv.codes.binarization`).

Both are verified before use, and nothing in them is cast silently: labels are integers
that fit the contract's int16, activations finite numbers, every layer has training rows,
splits are train and test, layer names follow the experiments' NAME pattern, widths are
the bits the codes use, and only a regular file is opened (a FIFO would block forever).
"""

import re
import zipfile

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from scaleinv.codes import SCHEMA_FIELDS, Layer, arrow_schema, metadata, read_metadata, write_codes
from scaleinv.codes.binarization import GIVEN, activation_rule
from scaleinv.errors import ScaleinvError
from scaleinv.inputs import NAME, NAME_RULE, regular_file, shown
from scaleinv.tables import write_table

ACTIVATION_NAME = re.compile(rf"(?P<layer>{NAME})_(?P<split>train|test)")  # fullmatch
NAME_RE = re.compile(NAME)
SPLITS = ("train", "test")
LABELS = np.iinfo(np.int16)  # the contract's label type
FIX = "write it in the codes contract (docs/own-codes.md)"
NPZ_FIX = "save it with numpy.savez(path, z1_train=..., y_train=...) (docs/own-codes.md)"
# What a codes file says of its own codes, kept over the experiment's word for it.
DESCRIPTIVE = ("dataset", "activation", "code")


def write_external_codes(experiment, seed, source, codes_path):
    """Codes of an external experiment's `source` (.parquet codes or .npz activations)."""
    settings = experiment.settings
    regular_file(source)
    if str(source).endswith(".npz"):
        layers = binarize_activations(
            source, settings["activation"], settings["binarization"]["threshold"]
        )
        facts = metadata(experiment, seed, 0, settings["activation"], source=str(source))
        write_codes(layers, facts, codes_path)
    else:
        facts = metadata(experiment, seed, 0, activation="unknown", source=str(source))
        write_table(checked_codes(source, facts), codes_path)


def layout_errors(pairs):
    """Why the (split, layer) pairs a file holds are not a usable set of codes (none: they
    are): layer names as experiment names, splits train and test, a train split per layer."""
    layers = sorted({layer for _, layer in pairs}, key=str)
    bad = [layer for layer in layers if not isinstance(layer, str) or not NAME_RE.fullmatch(layer)]
    if bad:
        return f"layer names must be {NAME_RULE} (got {', '.join(map(shown, bad))})"
    splits = sorted({split for split, _ in pairs} - set(SPLITS))
    if splits:
        return f"splits must be {' or '.join(SPLITS)} (got {', '.join(map(shown, splits))})"
    untrained = [layer for layer in layers if ("train", layer) not in pairs]
    if untrained or not layers:
        return f"every layer needs training rows (none for {', '.join(untrained) or 'any layer'})"
    return None


def checked_codes(path, facts):
    """The codes table at `path`, its columns cast to the contract's types and its metadata
    merged with `facts` (its own DESCRIPTIVE keys and binarization kept); a file that breaks
    the contract is one clear error."""
    found = read_metadata(path, FIX)  # missing columns, bad metadata, too narrow codes
    table = pq.read_table(path)
    nulls = [n for n in ("sample", "split", "layer", "code") if table[n].null_count]
    if nulls:
        raise ScaleinvError(
            f"{path}: column {', '.join(nulls)} has null values; every row needs a sample, "
            f"split, layer and code (only label may be null); {FIX}"
        )
    columns = []
    for name, dtype in SCHEMA_FIELDS.items():
        try:  # a safe cast: 40000 does not wrap into int16, 0.7 is not truncated to 0
            columns.append(table[name].cast(dtype))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
            raise ScaleinvError(
                f"{path}: column {name} must hold {dtype} values ({error})"
            ) from None
    split, layer_of = (table[n].to_numpy().astype(object) for n in ("split", "layer"))
    problem = layout_errors(set(zip(split, layer_of, strict=True)))
    if problem:
        raise ScaleinvError(f"{path}: {problem}; {FIX}")
    layers = set(layer_of)
    if layers != set(found["widths"]):
        raise ScaleinvError(
            f"{path}: the layers in column layer ({', '.join(sorted(layers))}) differ from "
            f"those in its metadata widths ({', '.join(sorted(found['widths']))})"
        )
    _check_widths(path, table["code"], layer_of, found["widths"])
    merged = {
        "binarization": {layer: {"rule": GIVEN, "threshold": None} for layer in layers},
        **facts,
        **found,
        **{key: value for key, value in facts.items() if key not in DESCRIPTIVE},
    }
    schema = arrow_schema(table.schema.field("code").type, merged)
    return pa.Table.from_arrays([*columns, table["code"]], schema=schema)


def _check_widths(path, code, layer, widths):
    """Every bit a layer's codes set lies within its metadata width: read at a smaller
    width, distinct codes would merge (12-bit codes read as 4 bits)."""
    nbytes = code.type.byte_width
    chunk = code.combine_chunks()
    codes = np.frombuffer(chunk.buffers()[1], np.uint8, len(chunk) * nbytes, chunk.offset * nbytes)
    codes = codes.reshape(len(chunk), nbytes)
    for name, width in widths.items():
        allowed = np.packbits(np.arange(nbytes * 8) < width, bitorder="big")
        beyond = (codes[layer == name] & ~allowed).any(axis=1)
        if beyond.any():
            bits = int(np.unpackbits(codes[layer == name], axis=1)[beyond].nonzero()[1].max()) + 1
            raise ScaleinvError(
                f"{path}: {int(beyond.sum())} codes of layer {name} set bits beyond its width "
                f"{width} in the metadata (they use {bits} bits); set widths.{name} to the "
                f"bits the codes use; {FIX}"
            )


def binarize_activations(path, activation, threshold):
    """`Layer`s of an activations .npz, binarized per `binarization.activation_rule`."""
    arrays = _read_npz(regular_file(path))
    matches = {
        name: ACTIVATION_NAME.fullmatch(name) for name in arrays if not name.startswith("y_")
    }
    unknown = [name for name, match in matches.items() if match is None]
    problem = (
        None if unknown else layout_errors({(m["split"], m["layer"]) for m in matches.values()})
    )
    if unknown or problem:
        raise ScaleinvError(
            f"{path}: arrays must be named <layer>_train / <layer>_test (and y_train, y_test "
            f"for labels), with at least one <layer>_train, a layer being {NAME_RULE}; got "
            f"{', '.join(n[:60] for n in list(arrays)[:10]) or 'no arrays'}"
        )
    layers = []
    for name, match in matches.items():
        values = arrays[name]
        layer, split = match["layer"], match["split"]
        train = arrays[f"{layer}_train"]
        if values.ndim != 2 or values.shape[1] != train.shape[1] or 0 in values.shape:
            raise ScaleinvError(
                f"{path}: {name} must be a 2-D (samples, units) array with at least one sample "
                f"and one unit, and as many units as {layer}_train (got shape {values.shape})"
            )
        if values.dtype.kind not in "biuf":
            raise ScaleinvError(f"{path}: {name} must hold numbers (got dtype {values.dtype})")
        finite = np.isfinite(values).all(axis=1)
        if not finite.all():
            raise ScaleinvError(
                f"{path}: {name} has {int((~finite).sum())} rows with NaN or infinite "
                f"activations (the first: row {int(np.argmin(finite))}); drop or fix them"
            )
        labels = _labels(path, arrays.get(f"y_{split}"), split, len(values))
        train_mean = lambda t=train: float(np.mean(t, dtype=np.float64))  # noqa: E731
        rule, cut = activation_rule(activation, threshold, train_mean)
        layers.append(Layer(split, layer, (values > cut).astype(np.uint8), labels, rule, cut))
    return layers


def _read_npz(path):
    """{name: array} of an .npz, never unpickling (an object array runs code when loaded)."""
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ScaleinvError(f"{path} is not a readable .npz file ({error}); {NPZ_FIX}") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ScaleinvError(
            f"{path} holds a single array (an .npy file), not named arrays; {NPZ_FIX}"
        )
    with archive:
        try:
            return {name: archive[name] for name in archive.files}
        except ValueError as error:  # object arrays need pickle
            raise ScaleinvError(
                f"{path} holds an array of Python objects, which are never unpickled here "
                f"({error}); {NPZ_FIX}"
            ) from None
        except (OSError, EOFError, zipfile.BadZipFile) as error:
            raise ScaleinvError(
                f"{path} is not a readable .npz file ({error}); {NPZ_FIX}"
            ) from None


def _labels(path, labels, split, samples):
    """y_<split> as the contract stores it (int16), or None; refused rather than cast."""
    if labels is None:
        return None
    if labels.ndim != 1 or len(labels) != samples:
        raise ScaleinvError(
            f"{path}: y_{split} must be a 1-D array of one label per sample; it has shape "
            f"{labels.shape} for {samples} samples"
        )
    if labels.dtype.kind not in "iu":
        raise ScaleinvError(
            f"{path}: y_{split} must hold integers (got dtype {labels.dtype}); labels are "
            "class ids, stored as int16"
        )
    if len(labels) and (labels.min() < LABELS.min or labels.max() > LABELS.max):
        raise ScaleinvError(
            f"{path}: y_{split} must lie in [{LABELS.min}, {LABELS.max}], the contract's "
            f"int16 (got {labels.min()} to {labels.max()}); renumber the classes"
        )
    return labels.astype(np.int16)
