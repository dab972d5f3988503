"""The codes stage: how activations become bits and how bits are stored.

`contract` owns the Parquet contract (packed codes, their metadata) that every writer and
reader goes through; `binarization` is the one place for the rules that turn activations
into bits; `kmeans` and `external` write codes without a network. Never torch: analysis
reads codes on a machine without it.

May import: the foundation, `datasets`, `ising`, `stats`.
"""

from importlib import import_module


def __getattr__(name):
    """The contract's names, as users import them (`from scaleinv.codes import Layer`),
    loaded on first use: `plan` reads `codes.binarization` while Snakemake parses the
    workflow, where pyarrow and polars need not be installed (PEP 562)."""
    contract = import_module("scaleinv.codes.contract")
    if name.startswith("_") or not hasattr(contract, name):
        raise AttributeError(f"module 'scaleinv.codes' has no attribute {name!r}")
    return getattr(contract, name)
