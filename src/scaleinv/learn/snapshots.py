"""Network snapshots, `results/train/{experiment}/seed{seed}/epoch{epoch}.pt`: a state dict
written by the trainer and read by the codes stage, both through this module."""

import pickle

import torch

from scaleinv.atomic import atomic_path
from scaleinv.errors import ScaleinvError


def save_snapshot(state_dict, path):
    """Write a state dict (moved to the CPU), atomically and byte-reproducibly."""
    # Given a path, torch.save names the archive inside after the (random) temporary file;
    # given a stream it does not, so equal weights give equal bytes.
    with atomic_path(path) as tmp, open(tmp, "wb") as stream:
        torch.save({k: v.cpu() for k, v in state_dict.items()}, stream)


def load_snapshot(model, path):
    """Load the weights at `path` into `model`. Only tensors are unpickled (weights_only);
    a file that holds anything else, is truncated, or holds another architecture's weights
    is one clear error naming it."""
    try:
        state = torch.load(path, weights_only=True)
    except pickle.UnpicklingError:
        # torch's own message suggests switching the protection off; we do not.
        raise ScaleinvError(
            f"{path} holds objects other than tensors, which are never unpickled here; "
            "delete it and rerun"
        ) from None
    except (RuntimeError, EOFError, OSError) as error:
        raise ScaleinvError(
            f"{path} is not a readable snapshot ({' '.join(str(error).split())[:200]}); "
            "delete it and rerun"
        ) from None
    try:
        model.load_state_dict(state)
    except (RuntimeError, TypeError, AttributeError) as error:
        problem = " ".join(str(error).split())[:200]
        raise ScaleinvError(
            f"{path} holds the weights of another architecture ({problem}); delete it and rerun"
        ) from None
