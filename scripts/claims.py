"""Rule `claims`: the paper's claims C1-C7 with verdicts and evidence, from the tables."""

from scaleinv.analysis.claims import write_claims
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_claims(
        fits_paths=snakemake.input.fits,
        information_paths=snakemake.input.information,
        sweep_paths=snakemake.input.sweeps,
        experiments=snakemake.params.experiments,
        critical_window=snakemake.params.critical_window,
        path=snakemake.output[0],
    )
