# scaleinv: do neural networks' internal codes follow power laws?
# Stages of the DAG, in order; config is validated in common.smk before any job.

import os
import sys

from snakemake.utils import min_version

min_version("9.0")
# The rules import scaleinv while Snakemake parses them. From a local checkout they take it
# from src/, so a Snakemake without the package installed (conda, pipx, a local module's
# user) can parse and plan; jobs inherit PYTHONPATH (locally, and through sbatch), so they
# too import this checkout's scaleinv, never another version installed in their
# environment. A remote module's src/ is a URL, and the scaleinv installed beside Snakemake
# is used instead.
SRC = workflow.current_basedir.join("src").get_path_or_uri(secret_free=True)
if os.path.isdir(SRC):
    sys.path.insert(0, SRC)
try:
    from scaleinv.plan import deploy
except ImportError as error:
    raise ImportError(
        f"scaleinv is not importable and {SRC} is not a local directory; install it beside "
        "Snakemake from a checkout or a release tag: pip install '.[workflow]'"
    ) from error
deploy.export_for_jobs(SRC, workflow.current_basedir)


configfile: "config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/datasets.smk"
include: "workflow/rules/ising.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/codes.smk"
include: "workflow/rules/embeddings.smk"
include: "workflow/rules/analysis.smk"
include: "workflow/rules/scaling.smk"
include: "workflow/rules/figures.smk"


rule all:
    default_target: True
    input:
        targets.final_outputs(config, EXPERIMENTS),
