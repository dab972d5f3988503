"""Rule `null_comparison`: each network layer beside its matched nulls, in one TSV."""

from pathlib import Path

from scaleinv.analysis.nulls import write_comparison
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_comparison(
        fits_paths=snakemake.input.fits,
        nulls=snakemake.params.nulls,
        # results/scaling/{experiment}.tsv where the scaling stage ran (optional input)
        scaling_paths={Path(p).stem: p for p in snakemake.input.get("scaling", [])},
        path=snakemake.output[0],
    )
