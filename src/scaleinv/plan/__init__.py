"""What to compute: the kind registry, the config check, experiments and sweep points
expanded into ids, and the figure catalog.

Plain data that Snakemake reads while it parses the workflow, so it never imports torch,
matplotlib or the stages that do the work (`learn`, `analysis`, `plots`), and of the stages
below it only their plain-data modules (`datasets.catalog`, `codes.binarization`).

May import: the foundation, `datasets`, `ising`, `stats`, `codes`.
"""
