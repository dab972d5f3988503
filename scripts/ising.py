"""Rule `ising`: results/data/ising_L{L}_T{T}.npz and its autocorrelation table."""

from scaleinv.ising.dataset import write_ising_dataset
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    write_ising_dataset(
        L=int(snakemake.wildcards.L),
        T=snakemake.wildcards.T,
        settings=snakemake.params.settings,
        threads=snakemake.threads,
        data_path=snakemake.output.data,
        autocorr_path=snakemake.output.autocorr,
    )
