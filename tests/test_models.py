"""Every model kind of the registry: its hidden layers, loss and gradients."""

import contextlib

import numpy as np
import pytest
import torch

from scaleinv.datasets.read import Dataset
from scaleinv.errors import ScaleinvError
from scaleinv.learn.models import build_model, make_model
from scaleinv.plan.experiments import Experiment
from scaleinv.plan.kinds import KINDS

NAMES = {(1, 28, 28): "fashion_mnist", (3, 32, 32): "cifar10"}  # image datasets of that shape
SCHEDULE = {"optimizer": "adam", "lr": 0.005, "batch": 100, "snapshots": [], "compile": False}
KEY = "experiments.cnn_ae"


def dataset_like(shape, n_classes):
    """A one-sample Dataset with inputs of `shape` (an image shape, or (features,))."""
    x = np.zeros((1, int(np.prod(shape))), np.float32)
    return Dataset(NAMES.get(shape, "digits"), {"train": x}, {"train": np.array([n_classes - 1])})


@pytest.mark.parametrize(
    "kind, shape, widths, expected",
    [
        ("mlp", (64,), [20, 10], [("z1", 20), ("z2", 10)]),
        ("ae", (64,), [16, 8, 16], [("z1", 16), ("z2", 8), ("z3", 16)]),
        ("ising_ae", (100,), [30], [("z1", 30)]),
        ("rbm", (64,), [12], [("z1", 12)]),
        ("cnn_ae", (1, 28, 28), [40, 20, 40], [("z1", 40), ("z2", 20), ("z3", 40)]),
        ("cnn_ae", (3, 32, 32), [40, 20, 40], [("z1", 40), ("z2", 20), ("z3", 40)]),
        ("cnn_ae", (1, 8, 8), [6, 4, 6], [("z1", 6), ("z2", 4), ("z3", 6)]),
    ],
)
def test_model_layers_and_loss(kind, shape, widths, expected):
    torch.manual_seed(0)
    data = dataset_like(shape, n_classes=10)
    settings = {"widths": widths, "activation": "sigmoid", "code": "gibbs"}
    model = build_model(KINDS[kind], data, settings)
    x, y = torch.rand(7, data.features), torch.randint(0, 10, (7,))
    generator = torch.Generator().manual_seed(0)
    assert [(name, z.shape) for name, z in model.hidden(x, generator)] == [
        (n, (7, w)) for n, w in expected
    ]
    loss = model.loss(x, y, model.noise(x, generator) if kind == "rbm" else ())
    loss.backward()
    assert torch.isfinite(loss) and all(p.grad is not None for p in model.parameters())
    if kind == "rbm":
        assert set(torch.cat([z for _, z in model.hidden(x, generator)]).unique().tolist()) <= {
            0.0,
            1.0,
        }


def test_a_model_too_large_for_memory_is_refused_before_it_exists():
    absurd = Experiment(
        "mlp", "mlp", "digits", {"kind": "mlp", "widths": [10**8], "activation": "sigmoid"}
    )
    with pytest.raises(
        ScaleinvError,
        match=r"experiments.mlp: the model has 7,500,000,010 parameters, 120.0 GB to train "
        r"\(weights, gradients, Adam state\), more than the .* GB of memory on cpu here; "
        r"lower experiments.mlp.widths",
    ):
        make_model(absurd, dataset_like((64,), 10))


def test_each_rbm_code_definition_on_a_model_with_known_probabilities():
    """Unit 0 copies pixel 0 both ways (W = 20, biases -10). For a grey pixel of 0.6:
    mean_field codes p(h|x) = sigmoid(2) > 0.5, always 1; sample draws v ~ Bernoulli(0.6),
    so h is 1 in 60 % of draws; gibbs draws h from x (88 %), v from h and h again, which
    copies the first h: 88 %."""
    from scaleinv.learn.models.rbm import RBM

    rbm = RBM(visible=1, hidden=1)
    with torch.no_grad():
        rbm.weight.fill_(20.0)
        rbm.hidden_bias.fill_(-10.0)
        rbm.visible_bias.fill_(-10.0)
    x = torch.full((40_000, 1), 0.6)
    shares = {}
    for code in ("mean_field", "sample", "gibbs"):
        rbm.code = code
        generator = torch.Generator().manual_seed(0)
        ((name, z),) = rbm.hidden(x, generator)
        assert name == "z1" and set(z.unique().tolist()) <= {0.0, 1.0}
        shares[code] = z.mean().item()
    expected = 1 / (1 + np.exp(-2.0))
    assert shares["mean_field"] == 1.0
    assert shares["sample"] == pytest.approx(0.6, abs=0.01)
    assert shares["gibbs"] == pytest.approx(expected, abs=0.01)


@contextlib.contextmanager
def two_threads():
    """Train on two threads, as CI's two cores give by default: the order of the sums, and
    so a small model's training, depends on the thread count, which other tests' jobs
    leave at one."""
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _distinct_sizes(bits):
    counts = np.unique(bits.numpy().astype(np.uint8), axis=0, return_counts=True)[1]
    return len(np.unique(counts))


@pytest.mark.slow
def test_the_cnn_autoencoder_compresses_digits_to_codes_that_repeat(digits_npz):
    """Every internal layer has a non-degenerate m(k) (>= 5 distinct cluster sizes, the
    fits' min_distinct) on real digits (8x8 images, so the conv stages end at 2x2)."""
    from scaleinv.datasets.read import read_dataset
    from scaleinv.learn.training import Schedule, Splits, train

    dataset = read_dataset(digits_npz, "digits")
    torch.manual_seed(0)
    settings = {"widths": [24, 12, 24], "activation": "sigmoid"}
    model = build_model(KINDS["cnn_ae"], dataset, settings)
    x, y = {"train": torch.from_numpy(dataset.x["train"])}, {"train": None}
    schedule = Schedule.of({**SCHEDULE, "epochs": 30}, KEY)
    with two_threads():
        train([model], [0], data=Splits(x, y), schedule=schedule)
    for name, z in model.hidden(x["train"]):
        assert _distinct_sizes(z > 0.5) >= 5, name


def blob_images(n, seed):
    """n CIFAR-shaped (3x32x32) images built from 10 coloured blobs (radius ~6 px) at fixed
    places, blob i present with probability 0.9 / (i + 1), plus pixel noise: the blob
    combinations have frequencies over three decades, so codes that see the blobs repeat
    at many sizes."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:32, 0:32]
    centres = rng.uniform(6, 26, (10, 2))
    colours = rng.uniform(0.3, 1.0, (10, 3))
    squared = (rows - centres[:, 0, None, None]) ** 2 + (cols - centres[:, 1, None, None]) ** 2
    present = rng.random((n, 10)) < 0.9 / np.arange(1, 11)
    images = np.einsum("ni,ic,ihw->nchw", present, colours, np.exp(-squared / 40))
    images += rng.normal(0, 0.05, images.shape)
    return np.clip(images, 0, 1).reshape(n, -1).astype(np.float32)


@pytest.mark.slow
def test_the_cnn_autoencoder_compresses_cifar_shaped_images_to_codes_that_repeat():
    """On 3x32x32 input (CIFAR's shape; the conv stages end at 8x8) every internal layer
    has a non-degenerate m(k): >= 5 distinct cluster sizes."""
    from scaleinv.learn.training import Schedule, Splits, train

    images = blob_images(2000, seed=0)
    dataset = Dataset("cifar10", {"train": images}, {"train": np.zeros(2000, np.int64)})
    torch.manual_seed(0)
    settings = {"widths": [24, 12, 24], "activation": "sigmoid"}
    model = build_model(KINDS["cnn_ae"], dataset, settings)
    x, y = {"train": torch.from_numpy(images)}, {"train": None}
    schedule = Schedule.of({**SCHEDULE, "epochs": 20}, KEY)
    with two_threads():
        train([model], [0], data=Splits(x, y), schedule=schedule)
    for name, z in model.hidden(x["train"]):
        assert _distinct_sizes(z > 0.5) >= 5, name
