"""How activations become bits (paper Sec. II): the one place for the rules.

The input layer x is binarized at half its range for every dataset, so m(k_x) exists for
every experiment. A hidden layer with binarization `activation` is cut per its
nonlinearity: sigmoid units at a threshold (0.5 by default; the paper uses 0.4 for Ising
data), ReLU units at the layer's mean activation over the training split, one number per
layer, as in the study's public code. `sampled` layers are the model's own binary states
(the RBM's); k-means codes are cluster ids; external codes come `given`; a null code's
features are cut at the threshold `matched` to its target layer (`scaleinv.codes.matching`).
"""

INPUT_THRESHOLD = 0.5

# How a kind's hidden layers become bits (a kind's `binarization`, plan.kinds).
ACTIVATION = "activation"
SAMPLED = "sampled"
CLUSTER_ID = "cluster_id"
GIVEN = "given"
MATCHED = "matched"
BINARIZATIONS = (ACTIVATION, SAMPLED, CLUSTER_ID, GIVEN, MATCHED)


def input_bits(x):
    """The binary code of the input layer: each pixel or spin (in [0, 1]) above half its range."""
    return (x > INPUT_THRESHOLD).astype("uint8")  # a dtype name: no numpy import at parse time


def activation_rule(activation, threshold, layer_mean):
    """(rule, threshold) of a hidden layer; `layer_mean` is called only for ReLU layers."""
    if activation == "sigmoid":
        return "threshold", threshold
    return "mean", layer_mean()


def describe(binarization, activation=None, threshold=None, code=None):
    """The rule in words, as the tables (fits, sweeps) print it: `sigmoid > 0.5`, `relu >
    layer mean`, the RBM's `code` definition (e.g. gibbs), `cluster id`, `given`, `matched`."""
    if binarization == SAMPLED:
        return SAMPLED if code is None else code
    if binarization == ACTIVATION:
        return "relu > layer mean" if activation == "relu" else f"sigmoid > {threshold:g}"
    return binarization.replace("_", " ")
