"""Rule `scaling`: subsampled scaling analysis of one experiment's codes."""

from scaleinv.analysis.scaling import ScalingSettings, write_scaling
from scaleinv.rulelog import rule_log
from scaleinv.stats.layer import FitSettings

with rule_log(snakemake.log[0]):
    settings = snakemake.params.settings
    write_scaling(
        snakemake.params.sources,
        settings=ScalingSettings.from_config(settings["scaling"], settings["fits"]["seed"]),
        fit_settings=FitSettings.from_config(settings["fits"]),
        code=snakemake.params.code,
        facts=snakemake.params.facts,
        threads=snakemake.threads,
        paths=dict(snakemake.output.items()),
    )
