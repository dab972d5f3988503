"""Null codes matched to a target layer's resolution at the same M (issue 26).

A null code is only a fair comparison when it resolves the inputs as finely as the layer
it stands beside: the same number of distinct codes (or the same H(Z)) among the same
M inputs. The nulls here make their bits by cutting real-valued features (random
projections, a trained network's activations on shuffled inputs) at one threshold per
layer, and that threshold is the one knob tuned to the target: raising it from the
median turns ones into zeros and merges codes, down to a single code at the maximum.

`match: both` (issue 33) matches the distinct count and H(Z) at once, with two knobs: how
many feature columns become bits (a real number, the last column a partial bit) and the
one threshold (`matched_cut`). One knob reaches one of the two only: a few-thousand-code
layer cut at one threshold from its own bit count lands far below the network's H(Z).
"""

import logging
from dataclasses import dataclass

import numpy as np

from scaleinv.codes.binarization import INPUT_THRESHOLD, MATCHED, input_bits
from scaleinv.codes.contract import Layer, metadata, pack, read_layer, read_metadata, write_codes
from scaleinv.datasets.read import read_dataset
from scaleinv.errors import ScaleinvError

log = logging.getLogger(__name__)

# What a null matches of its target layer: the number of distinct codes, H(Z) in nats, or
# both at once (two knobs: `matched_cut`).
MATCHES = ("distinct", "entropy", "both")
# A match within 5 % of the target's value (or within one code) counts as matched.
TOLERANCE = 0.05
# `match: both` holds H(Z) tighter, in nats: relevance H(K) moves with H(Z) at a slope near
# one on the frontier (beta ~ 1), and the effects compared are a few hundredths of a nat.
ENTROPY_TOLERANCE = 0.01  # matched; ...
ENTROPY_CLOSE = 0.002  # ... and where the threshold search stops
DISTINCT_CLOSE = 0.005  # where the search over bits stops (relative)
BOTH_STEPS = 30  # each of the two searches stops after this many steps at most
OUT_OF_REACH = "OUT OF TOLERANCE: the null cannot resolve so finely"
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


def distinct_entropy(bits):
    """(distinct codes, plug-in H(Z) in nats) of a (n, width) 0/1 or boolean array. Codes of
    up to 64 bits are sorted as one integer each (the two-knob search counts codes some
    forty times per layer); the counts are summed in sorted order (same bits, same bytes)."""
    packed = np.packbits(np.asarray(bits, bool), axis=1)
    packed = np.pad(packed, ((0, 0), (0, -packed.shape[1] % 8)))
    words = np.ascontiguousarray(packed).view(">u8")
    keys = words[:, 0] if words.shape[1] == 1 else words.view(f"V{words.shape[1] * 8}")[:, 0]
    keys = np.sort(keys)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    counts = np.sort(np.diff(np.append(starts, len(keys))))
    p = counts / len(keys)
    return len(counts), float(-(p * np.log(p)).sum())


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
class Cut:
    """Where a two-knob match cut its features ((n, B) floats): the first `whole` columns at
    `threshold`, and the next one, a partial bit, at its own higher cut `partial` (inf: no
    partial bit); the distinct count and H(Z) it reached on the training split."""

    whole: int
    threshold: float
    partial: float
    distinct: int
    H_Z: float

    @property
    def bits(self):
        """The codes' width: the whole bits and the partial one, where there is one."""
        return self.whole + (0 if np.isinf(self.partial) else 1)

    def apply(self, values):
        """The (n, bits) 0/1 codes of `values` under this cut (any split)."""
        codes = values[:, : self.whole] > self.threshold
        if not np.isinf(self.partial):
            codes = np.column_stack([codes, values[:, self.whole] > self.partial])
        return codes.astype(np.uint8)


def _cut(values, bits, threshold):
    """The `Cut` of `bits` (a real number in [1, B]) columns at `threshold`: the fraction f of
    `bits` makes column floor(bits) a partial bit, one for the top f of the inputs that
    `threshold` would make one (f = 0: no bit, f -> 1: a whole bit), so the distinct count
    grows smoothly with `bits` instead of jumping by a bit at a time."""
    whole = min(int(bits), values.shape[1])
    partial = np.inf
    if bits > whole and whole < values.shape[1]:
        column = values[:, whole]
        share = (column > threshold).mean() * (bits - whole)
        if share > 0:
            partial = float(np.quantile(column, 1 - share))
    codes = Cut(whole, float(threshold), partial, 0, 0.0).apply(values)
    distinct, h_z = distinct_entropy(codes)
    return Cut(whole, float(threshold), partial, distinct, h_z)


def _falsi(f, lo, hi, f_lo, f_hi, done, steps):
    """Illinois regula falsi for an increasing f with f(lo) < 0 < f(hi) (f's values are
    (key, result) pairs): the results seen, best last is not promised. Falls back to
    bisection when the interpolation leaves the bracket."""
    seen, side = [], 0
    for _ in range(steps):
        x = hi - f_hi * (hi - lo) / (f_hi - f_lo) if f_hi != f_lo else (lo + hi) / 2
        if not lo < x < hi:
            x = (lo + hi) / 2
        value, result = f(x)
        seen.append(result)
        if done(result):
            break
        if value > 0:
            hi, f_hi = x, value
            f_lo = f_lo / 2 if side == -1 else f_lo
            side = -1
        else:
            lo, f_lo = x, value
            f_hi = f_hi / 2 if side == 1 else f_hi
            side = 1
    return seen


def matched_cut(values, distinct, entropy):
    """The `Cut` of `values` ((n, B) floats, one column per candidate bit) whose codes come
    closest to `distinct` codes and H(Z) = `entropy` nats at once. Two knobs: the threshold
    t, on the pooled values' quantiles, finds the H(Z) at each number of bits (H(Z) falls
    as t rises above the finest cut), and the number of bits b (real, `_cut`) finds the
    distinct count at that H(Z): at a fixed H(Z), more bits cut further from the median make
    a more skewed code with more rare codes, so the distinct count rises with b. Both by
    regula falsi; the closest cut seen wins (errors in units of their tolerances). A target
    out of reach (finer than B bits can resolve) gets the closest cut, flagged by the
    caller."""
    if distinct <= 1:  # one code: every input below the cut
        return _cut(values, 1.0, float(values.max()))
    pool = np.sort(values[:: max(1, len(values) // 4000)].ravel())  # about 4,000 rows
    pool = np.append(pool, values.max())  # the last level: one code

    def threshold(level):
        return float(np.interp(level, np.linspace(0, 1, len(pool)), pool))

    def score(cut):
        return max(abs(cut.distinct - distinct) / max(TOLERANCE * distinct, 1.0),
                   abs(cut.H_Z - entropy) / ENTROPY_TOLERANCE)  # fmt: skip

    full = values.shape[1]
    # from the median outwards, so that among equal cuts (all codes unique) the most balanced wins
    levels = QUANTILES[np.argsort(np.abs(QUANTILES - 0.5), kind="stable")]
    finest = max(levels, key=lambda q: _cut(values, full, threshold(q)).H_Z)
    seen = []

    def at_bits(bits):
        """(log distinct / target at the matched H(Z), the cut); -inf where this many bits
        cannot reach the target's H(Z)."""
        top = _cut(values, bits, threshold(finest))
        seen.append(top)
        if top.H_Z < entropy - ENTROPY_CLOSE:
            return -np.inf, top
        if top.H_Z <= entropy + ENTROPY_CLOSE:  # the finest cut is the match
            return float(np.log(top.distinct / distinct)), top
        cuts = [top] + _falsi(
            lambda level: (entropy - (cut := _cut(values, bits, threshold(level))).H_Z, cut),
            finest, 1.0, entropy - top.H_Z, entropy, lambda cut: abs(cut.H_Z - entropy)
            <= ENTROPY_CLOSE, BOTH_STEPS,
        )  # fmt: skip
        seen.extend(cuts)
        cut = min(cuts, key=lambda c: abs(c.H_Z - entropy))
        return float(np.log(cut.distinct / distinct)), cut

    def close(cut):
        return (abs(cut.distinct - distinct) <= DISTINCT_CLOSE * distinct
                and abs(cut.H_Z - entropy) <= ENTROPY_CLOSE)  # fmt: skip

    lo, hi = 1.0, float(full)
    high, _ = at_bits(hi)
    if high > 0:  # else out of reach: all B bits give too few codes at H(Z), or too low an H(Z)
        low, _ = at_bits(lo)
        for _ in range(BOTH_STEPS):  # bisect up to a number of bits that reaches H(Z)
            if low > -np.inf or close(min(seen, key=score)):
                break
            middle = (lo + hi) / 2
            value, _ = at_bits(middle)
            lo, low, hi, high = (
                (middle, value, hi, high) if value <= 0 else (lo, low, middle, value)
            )
        if low > -np.inf and not close(min(seen, key=score)):
            _falsi(at_bits, lo, hi, low, high, close, BOTH_STEPS)
    return min(seen, key=score)


@dataclass(frozen=True)
class Target:
    """What a null matches of one target layer (training split)."""

    name: str  # z1, z2, ...
    width: int  # its bits, which the null takes too
    resolution: float  # its distinct codes or H(Z) (`resolution`; both: distinct)
    M: int  # its inputs
    distinct: int = 0  # its distinct codes and H(Z), whatever is matched
    H_Z: float = 0.0


def target_layers(path, layers, match):
    """The `Target`s of a target's codes file: the hidden layers named in `layers`, or
    every layer but the input x when it names none."""
    widths = read_metadata(path)["widths"]
    targets = []
    for name in layers or [layer for layer in widths if layer != "x"]:
        _, bits = read_layer(path, name, "train")
        distinct, h_z = distinct_entropy(bits)
        wanted = h_z if match == "entropy" else float(distinct)
        targets.append(Target(name, widths[name], wanted, len(bits), distinct, h_z))
    return targets


def matched_layers(target, features, labels, match, name=None):
    """(Layers, record): the codes of `features` ({split: (n, width) floats}) cut at the
    threshold matched to `target` on the training split (`match: both`: the `matched_cut`
    over its columns), the same cut for every split, and what the match achieved (for the
    codes file's metadata). The layers are named `name` (default: the target's)."""
    if len(features["train"]) != target.M:
        raise ScaleinvError(
            f"the target's layer {target.name} holds {target.M} training inputs, the null "
            f"{len(features['train'])}; a matched null must code the same inputs (same "
            "dataset and n_train as its target)"
        )
    name = name or target.name
    if match == "both":
        cut = matched_cut(features["train"], target.distinct, target.H_Z)
        threshold, coded = cut.threshold, {split: cut.apply(v) for split, v in features.items()}
        matched = within_tolerance(cut.distinct, target.distinct) and (
            abs(cut.H_Z - target.H_Z) <= ENTROPY_TOLERANCE
        )
        record = {"match": match, "target": float(target.distinct), "achieved": float(cut.distinct),
                  "target_H_Z": target.H_Z, "achieved_H_Z": cut.H_Z, "bits": cut.bits,
                  "partial": cut.partial if np.isfinite(cut.partial) else None,
                  "matched": matched}  # fmt: skip
        log.log(
            logging.INFO if matched else logging.WARNING,
            "%s: distinct %d and H(Z) %.4f matched by %d and %.4f with %d bits (the last "
            "partial: %s) at threshold %.4g (%s)",
            name, target.distinct, target.H_Z, cut.distinct, cut.H_Z, cut.bits,
            record["partial"] is not None, threshold,
            "within tolerance" if matched else "OUT OF TOLERANCE: the null cannot reach both",
        )  # fmt: skip
    else:
        threshold, achieved = matched_threshold(features["train"], target.resolution, match)
        coded = {split: (values > threshold).astype(np.uint8) for split, values in features.items()}
        matched = within_tolerance(achieved, target.resolution)
        log.log(
            logging.INFO if matched else logging.WARNING,
            "%s: %s %.4g matched by %.4g at threshold %.4g (%s)",
            name, match, target.resolution, achieved, threshold,
            "within tolerance" if matched else OUT_OF_REACH,
        )  # fmt: skip
        record = {"match": match, "target": target.resolution, "achieved": achieved,
                  "matched": matched}  # fmt: skip
    layers = [Layer(split, name, bits, labels[split], MATCHED, threshold)
              for split, bits in coded.items()]  # fmt: skip
    return layers, record


# An extra draw of a null is a layer of its own, named after the target's layer: z1.draw1,
# z1.draw2, ... (draw 0 is z1 itself). Extra draws code the training split only and are
# read by the relevance table, never fitted (scaleinv.analysis.fits skips them).
DRAW = ".draw"


def draw_name(layer, draw):
    """The layer name of draw `draw` of a null's layer `layer` (draw 0: `layer` itself)."""
    return f"{layer}{DRAW}{draw}" if draw else layer


def base_layer(name):
    """The target layer a null's layer (any draw) stands beside: z1.draw3 -> z1."""
    return name.split(DRAW)[0]


def drawn_layers(target, features_of, labels, match, draws):
    """(Layers, {layer name: record}) of `draws` draws of a null matched to `target`;
    features_of(draw) gives {split: (n, B) floats} of one draw. Draw 0 codes every split
    under the target's layer name; draws 1, 2, ... the training split only (`draw_name`)."""
    layers, records = [], {}
    for draw in range(draws):
        features = features_of(draw)
        features = features if draw == 0 else {"train": features["train"]}
        name = draw_name(target.name, draw)
        coded, records[name] = matched_layers(target, features, labels, match, name)
        layers += coded
    return layers, records


def write_matched_codes(layers_of, experiment, target, seed, dataset_path, target_codes_path, path):
    """A matched null's codes file: the inputs x and the null's layers matched to each of the
    target's layers (`experiment.settings`: target_layers, match, draws), over the target's
    own inputs; layers_of(data, targets, match, draws) -> (Layers, {layer: match record})."""
    settings = experiment.settings
    data = read_dataset(dataset_path, experiment.dataset)
    data = data.with_train_size(target.settings.get("n_train"), seed)  # the target's inputs
    targets = target_layers(target_codes_path, settings["target_layers"], settings["match"])
    layers, records = layers_of(data, targets, settings["match"], settings["draws"])
    inputs = [
        Layer(split, "x", input_bits(data.x[split]), data.y[split], "threshold", INPUT_THRESHOLD)
        for split in data.splits
    ]
    facts = metadata(experiment, seed, 0, "none", target=target.id, matched=records)
    by_split = sorted(inputs + layers, key=lambda layer: data.splits.index(layer.split))
    write_codes(by_split, facts, path)
