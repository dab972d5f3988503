"""Where `--sdm conda` environments get scaleinv from. Snakemake copies a post-deploy script
to `<conda-prefix>/<env-hash>.post-deploy.sh` and runs it from the user's directory
(snakemake/deployment/conda.py), so the script cannot find the workflow from its own path:
the Snakefile exports SCALEINV_SOURCE, a pip requirement for the workflow's own source, and
envs/*.post-deploy.sh installs it."""

import os

from scaleinv import __version__

VARIABLE = "SCALEINV_SOURCE"


def pip_source(basedir):
    """The pip requirement of the scaleinv that the workflow at `basedir` (the Snakefile's
    directory as a Snakemake source file) is made of: a local checkout's directory, a local
    git repository (`gitfile`) or a hosted one (`github`, `gitlab`) at the module's ref, or
    else the released version from the package index."""
    if hasattr(basedir, "repo_path"):  # snakemake.sourcecache.LocalGitFile
        return f"git+file://{os.path.abspath(basedir.repo_path)}@{basedir.ref}"
    if hasattr(basedir, "repo") and hasattr(basedir, "host"):  # a HostingProviderFile
        return f"git+https://{basedir.host}/{basedir.repo}@{basedir.ref}"
    path = basedir.get_path_or_uri(secret_free=True)
    if os.path.isfile(os.path.join(path, "pyproject.toml")):
        return os.path.abspath(path)
    return f"scaleinv=={__version__}"


def export_for_jobs(src, basedir):
    """Set the environment every job inherits (locally, and through sbatch): a local
    checkout's `src` first on PYTHONPATH, so that jobs compute with the workflow's own
    scaleinv and never with another version installed in their environment; and, unless the
    user set it, SCALEINV_SOURCE for envs/*.post-deploy.sh."""
    if os.path.isdir(src):
        paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        if paths[:1] != [src]:
            os.environ["PYTHONPATH"] = os.pathsep.join([src, *paths])
    os.environ.setdefault(VARIABLE, pip_source(basedir))
