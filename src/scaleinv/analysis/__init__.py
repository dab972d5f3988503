"""Analysis of codes without torch: degeneracy m(k), information measures, power-law fits
with their goodness of fit and alternatives, the claims table, sweep tables and t-SNE.

Reads Parquet tables only. May import the foundation, `datasets`, `ising`, `codes` and
`plan`; never `learn` or torch, so a table can be refitted on a laptop.
"""
