"""What to compute: the kind registry, the config check, experiments and sweep points
expanded into ids, and the figure catalog.

Plain data that Snakemake reads while it parses the workflow, so it never imports torch,
matplotlib or the stages that do the work (`learn`, `analysis`, `plots`); it may import
the foundation, `datasets.catalog` and `codes.binarization`.
"""
