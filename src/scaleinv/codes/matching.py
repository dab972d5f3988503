"""Null codes matched to a target layer's resolution at the same M (issue 26).

A null code is only a fair comparison when it resolves the inputs as finely as the layer
it stands beside: the same number of distinct codes (or the same H(Z)) among the same
M inputs. The nulls here make their bits by cutting real-valued features (random
projections, a trained network's activations on shuffled inputs) at one threshold per
layer, and that threshold is the one knob tuned to the target: raising it from the
median turns ones into zeros and merges codes, down to a single code at the maximum.
"""

import logging
from dataclasses import dataclass

import numpy as np

from scaleinv.codes.binarization import MATCHED
from scaleinv.codes.contract import Layer, pack, read_layer, read_metadata
from scaleinv.errors import ScaleinvError

log = logging.getLogger(__name__)

# What a null matches of its target layer: the number of distinct codes, or H(Z) in nats.
MATCHES = ("distinct", "entropy")
# A match within 5 % of the target's value (or within one code) counts as matched.
TOLERANCE = 0.05
STEPS = 40  # bisection steps at most: the threshold's bracket shrinks 2^40-fold
CLOSE = TOLERANCE / 10  # ... stopping once this close
QUANTILES = np.linspace(0.05, 0.95, 19)  # where the finest cut is looked for


def code_counts(bits):
    """How many inputs share each distinct row of a (n, width) 0/1 array."""
    packed = np.ascontiguousarray(pack(bits))
    _, counts = np.unique(packed.view(f"V{packed.shape[1]}"), return_counts=True)
    return counts


def resolution(bits, match):
    """The number of distinct codes, or the plug-in H(Z) in nats (paper Eq. 3)."""
    counts = code_counts(bits)
    if match == "distinct":
        return float(len(counts))
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum())


def within_tolerance(achieved, wanted):
    return abs(achieved - wanted) <= max(TOLERANCE * wanted, 1.0)


def matched_threshold(values, wanted, match):
    """(threshold, achieved): the cut t of `values` ((n, width) floats, one column per bit)
    whose codes `values > t` come closest to resolution `wanted` (`resolution`). The
    finest cut is found on a grid of quantiles (the median, for balanced features); a
    target finer than it is out of reach and gets it. From there to the maximum (one code)
    the resolution falls, nearly but not strictly monotonically, so bisection runs there
    and keeps the closest cut it saw."""
    # from the median outwards, so that among equal cuts the most balanced wins
    order = np.argsort(np.abs(QUANTILES - 0.5), kind="stable")
    grid = np.quantile(values, QUANTILES[order])
    seen = [(float(t), resolution(values > t, match)) for t in grid]
    low, _ = max(seen, key=lambda cut: cut[1])
    high = float(values.max())
    best = min(seen, key=lambda cut: abs(cut[1] - wanted))
    for _ in range(STEPS):
        if abs(best[1] - wanted) <= CLOSE * wanted:
            break
        t = (low + high) / 2
        achieved = resolution(values > t, match)
        if abs(achieved - wanted) < abs(best[1] - wanted):
            best = (t, achieved)
        low, high = (t, high) if achieved > wanted else (low, t)
    return best


@dataclass(frozen=True)
class Target:
    """What a null matches of one target layer (training split)."""

    name: str  # z1, z2, ...
    width: int  # its bits, which the null takes too
    resolution: float  # its distinct codes or H(Z) (`resolution`)
    M: int  # its inputs


def target_layers(path, layers, match):
    """The `Target`s of a target's codes file: the hidden layers named in `layers`, or
    every layer but the input x when it names none."""
    widths = read_metadata(path)["widths"]
    targets = []
    for name in layers or [layer for layer in widths if layer != "x"]:
        _, bits = read_layer(path, name, "train")
        targets.append(Target(name, widths[name], resolution(bits, match), len(bits)))
    return targets


def matched_layers(target, features, labels, match):
    """(Layers, record): the codes of `features` ({split: (n, width) floats}) cut at the
    threshold matched to `target` on the training split, the same cut for every split,
    and what the match achieved (for the codes file's metadata)."""
    if len(features["train"]) != target.M:
        raise ScaleinvError(
            f"the target's layer {target.name} holds {target.M} training inputs, the null "
            f"{len(features['train'])}; a matched null must code the same inputs (same "
            "dataset and n_train as its target)"
        )
    threshold, achieved = matched_threshold(features["train"], target.resolution, match)
    matched = within_tolerance(achieved, target.resolution)
    log_level = logging.INFO if matched else logging.WARNING
    log.log(
        log_level,
        "%s: %s %.4g matched by %.4g at threshold %.4g (%s)",
        target.name, match, target.resolution, achieved, threshold,
        "within tolerance" if matched else "OUT OF TOLERANCE: the null cannot resolve so finely",
    )  # fmt: skip
    layers = [
        Layer(split, target.name, (values > threshold).astype(np.uint8), labels[split],
              MATCHED, threshold)
        for split, values in features.items()
    ]  # fmt: skip
    record = {"match": match, "target": target.resolution, "achieved": achieved,
              "matched": matched}  # fmt: skip
    return layers, record
