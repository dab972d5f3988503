#!/usr/bin/env bash
# Set up (or reuse) .venv with scaleinv and its [workflow,torch] extras at the versions pinned
# in envs/constraints.txt, and Debian's Fashion-MNIST where we may install it. Safe to rerun:
# pip runs again only when pyproject.toml or the pins changed, or extras are missing.
# --test also installs the [test,docs] extras and Debian's SLURM, munge and MariaDB for the
# real-SLURM test.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
    "") for_tests=false ;;
    --test) for_tests=true ;;
    *) echo "usage: scripts/bootstrap.sh [--test]" >&2; exit 2 ;;
esac

python=$(command -v python3.11 || command -v python3 || true)
if [ -z "$python" ] || ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "bootstrap: Python >= 3.11 is required (found: ${python:-none})" >&2
    exit 1
fi

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_install() { { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >/dev/null; }

if [ ! -x .venv/bin/python ]; then
    if ! "$python" -m venv .venv 2>/dev/null; then
        # Debian ships venv separately.
        rm -rf .venv
        can_apt || { echo "bootstrap: $python has no venv module; install python3-venv" >&2; exit 1; }
        apt_install python3-venv
        "$python" -m venv .venv
    fi
fi

extras=workflow,torch
$for_tests && extras=$extras,test,docs
stamp=.venv/.scaleinv-installed
want=$(cat pyproject.toml envs/constraints.txt | sha256sum | cut -d' ' -f1)
{ read -r have have_extras < "$stamp"; } 2>/dev/null || true
if [ "${have:-}" != "$want" ] || { $for_tests && [ "${have_extras:-}" != "$extras" ]; }; then
    echo "bootstrap: installing scaleinv[$extras] at the pinned versions into .venv (torch is large; first time takes minutes)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check \
        -c envs/constraints.txt -e ".[$extras]" 2> >(grep -v '^WARNING: Location' >&2)
    echo "$want $extras" > "$stamp"
fi

if [ -d /usr/share/datasets/fashion-mnist ]; then
    :
elif can_apt && apt_install dataset-fashion-mnist; then
    echo "bootstrap: installed Debian's dataset-fashion-mnist"
else
    echo "bootstrap: skipped Debian's dataset-fashion-mnist (needs root and apt);" \
        "put Fashion-MNIST's original .gz files in data/mirror/ or allow downloads (data.download)"
fi

slurm_packages=(slurmctld slurmd slurm-client munge slurmdbd mariadb-server)
have_all() { for name; do command -v "$name" >/dev/null || return 1; done; }
if ! $for_tests || have_all slurmctld slurmd sacct munged slurmdbd mariadbd; then
    :
elif can_apt && apt_install "${slurm_packages[@]}"; then
    echo "bootstrap: installed Debian's ${slurm_packages[*]} for the SLURM test"
else
    echo "bootstrap: skipped SLURM for the tests (needs root and apt); its test will skip" >&2
fi
