"""Degeneracy of codes: cluster size k per distinct code and m(k), the number of codes
that share k inputs (paper Sec. II), counted with Polars.

The queries are lazy and run on Polars' streaming engine, so a codes table larger than
memory is aggregated in chunks; only the (code, count) pairs of one group are ever held.
"""

import numpy as np
import polars as pl

from scaleinv.codes import scan_codes
from scaleinv.tables import GROUP, read_frame, write_table

COLUMNS = [*GROUP, "k", "m"]  # of the degeneracy table


def cluster_sizes(codes, group=GROUP):
    """Lazy frame: group columns, code, k = number of rows carrying that code."""
    return codes.group_by([*group, "code"]).agg(pl.len().alias("k"))


def size_frequencies(sizes, group=GROUP):
    """Lazy frame: group columns, k, m = number of codes of size k, sorted."""
    return sizes.group_by([*group, "k"]).agg(pl.len().alias("m")).sort([*group, "k"])


def degeneracy(codes):
    """m(k) per group of a stacked codes frame, collected with the streaming engine."""
    frame = size_frequencies(cluster_sizes(codes)).collect(engine="streaming")
    return frame.with_columns(pl.col("k").cast(pl.UInt32), pl.col("m").cast(pl.UInt32))


def read_degeneracy(path):
    return read_frame(path, COLUMNS)


def sizes_of(degeneracy_frame):
    """The cluster-size sample of one group: k repeated m times, as an int64 numpy array."""
    return np.repeat(degeneracy_frame["k"].to_numpy().astype(np.int64), degeneracy_frame["m"])


def write_degeneracy(sources, path):
    """The degeneracy table of the codes files `sources` ((experiment, seed, epoch, path))."""
    write_table(degeneracy(scan_codes(sources)), path)
