"""Rule `ising`: results/data/ising_L{L}_T{T}.npz and its autocorrelation table."""

from scaleinv.ising.dataset import write_ising_dataset
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_ising_dataset(
        int(snakemake.wildcards.L),
        snakemake.wildcards.T,
        snakemake.params.settings,
        snakemake.threads,
        snakemake.output.data,
        snakemake.output.autocorr,
    )
