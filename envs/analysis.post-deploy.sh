#!/usr/bin/env bash
# Snakemake runs this once after creating the env: install scaleinv itself, editable and
# without touching the pins, from the workflow's own directory (this file's parent), not
# from the working directory, which is the user's project when the workflow is a module.
set -euo pipefail
python -m pip install --no-deps --no-build-isolation -e "$(dirname "$0")/.."
