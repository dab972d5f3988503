# scaleinv: do neural networks' internal codes follow power laws?
# Stages of the DAG, in order; config is validated in common.smk before any job.

from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/datasets.smk"
include: "workflow/rules/ising.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/codes.smk"
include: "workflow/rules/embeddings.smk"
include: "workflow/rules/analysis.smk"
include: "workflow/rules/figures.smk"


rule all:
    default_target: True
    input:
        get_final_output(),
