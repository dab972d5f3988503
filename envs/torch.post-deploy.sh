#!/usr/bin/env bash
# Snakemake runs this once after creating the env, as a copy at
# <conda-prefix>/<env-hash>.post-deploy.sh and from the user's directory, so the workflow
# cannot be found from here: the Snakefile exports SCALEINV_SOURCE, the pip requirement of the
# workflow's own scaleinv (a checkout's directory, installed editable; a module's git URL at
# its tag; or the release). --no-deps: the env's pins stay as they are.
set -euo pipefail
source=${SCALEINV_SOURCE:?"is not set: create the environments through the workflow's Snakefile (snakemake --sdm conda), or set it to a pip requirement for scaleinv"}
if [ -d "$source" ]; then
    set -- -e "$source"
else
    set -- "$source"
fi
python -m pip install --quiet --no-deps --no-build-isolation "$@"
