#!/usr/bin/env bash
# Snakemake runs this once after creating the env, in its working directory (the
# repository root): install scaleinv itself, editable, without touching the pins above.
set -euo pipefail
python -m pip install --no-deps --no-build-isolation -e .
