"""Rule `claims`: the paper's claims C1-C7 with verdicts and evidence, from the tables."""

from scaleinv.analysis.claims import write_claims
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_claims(
        snakemake.input.fits,
        snakemake.input.information,
        snakemake.input.sweeps,
        snakemake.params.experiments,
        snakemake.params.temperatures,
        snakemake.params.critical_window,
        snakemake.output[0],
    )
