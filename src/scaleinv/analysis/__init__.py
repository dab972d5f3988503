"""The table jobs of the analysis, without torch: degeneracy m(k), information measures,
the fits table (each row `scaleinv.stats` on one layer's sizes), null comparisons, scaling,
sweep tables, t-SNE and the claims.

Reads Parquet tables only; never `learn` or torch, so a table can be refitted on a laptop.

May import: the foundation, `datasets`, `ising`, `stats`, `codes`, `plan`.
"""
