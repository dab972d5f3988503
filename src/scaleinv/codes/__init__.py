"""The codes stage: how activations become bits and how bits are stored.

`contract` owns the Parquet contract (packed codes, their metadata) that every writer and
reader goes through; `binarization` is the one place for the rules that turn activations
into bits; `kmeans` and `external` write codes without a network. Imports the foundation
and `datasets`, never torch: analysis reads codes on a machine without it.
"""

from scaleinv.codes.contract import (  # noqa: F401  the contract, as users import it
    METADATA_FIELDS,
    METADATA_KEY,
    SCHEMA_FIELDS,
    Layer,
    arrow_schema,
    binary_column,
    distinct,
    integer_code,
    metadata,
    pack,
    read_layer,
    read_metadata,
    scan_codes,
    unpack,
    write_codes,
)
