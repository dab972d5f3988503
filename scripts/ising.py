"""Rule `ising`: results/data/ising_L{L}_T{T}.npz and its autocorrelation table."""

import numba

from scaleinv.ising.dataset import write_ising_dataset
from scaleinv.rulelog import rule_log

with rule_log(snakemake.log[0]):
    numba.set_num_threads(snakemake.threads)
    write_ising_dataset(
        int(snakemake.wildcards.L),
        snakemake.wildcards.T,
        **snakemake.params,
        data_path=snakemake.output.data,
        autocorr_path=snakemake.output.autocorr,
    )
