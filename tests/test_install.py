"""Every documented install route, run the way its tool runs it: the core library alone in a
fresh venv, the `--sdm conda` post-deploy scripts as Snakemake runs them (copied into a
conda prefix, started from the user's directory), and the workflow as a remote module,
`github("OWNER/scaleinv", path="Snakefile", tag=...)` as snakedeploy writes it, offline:
git's `url.<local repository>.insteadOf` sends Snakemake's clone (and pip's) of the GitHub
URL to a local tagged repository. (`gitfile(...)` cannot load a workflow whose Snakefile is
at the repository's top: Snakemake 9.27.1 joins its includes as "/workflow/...", which
`git show` refuses; GitHub and GitLab sources join them right.)"""

import os
import re
import shutil
import subprocess
import sys

import pytest
from snakemake.sourcecache import GithubFile, LocalGitFile, LocalSourceFile

import scaleinv
from conftest import REPO, WORKFLOW_FILES, snakemake
from scaleinv.plan.deploy import VARIABLE, export_for_jobs, pip_source

PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE", "src")
BARE = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", VARIABLE)}
TAG = f"v{scaleinv.__version__}"
GITHUB = "scaleinv-test/scaleinv"  # a name no one owns: a clone that left this machine fails


def offline_github(repository):
    """Environment variables that make git (Snakemake's clone, pip's) fetch GITHUB's URL from
    the local `repository` (git >= 2.31 reads config from the environment)."""
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.file://{repository}.insteadOf",
        "GIT_CONFIG_VALUE_0": f"https://github.com/{GITHUB}",
    }


def copy_files(names, destination):
    """The named files and folders of the checkout, as they are now (committed or not)."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in names:
        ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, destination / name, ignore=ignore)
        else:
            shutil.copy(REPO / name, destination / name)
    return destination


def tagged_repository(path):
    """A git repository of the workflow and its package, tagged as the release."""
    copy_files((*WORKFLOW_FILES, *PACKAGE_FILES), path)
    git = ["git", "-C", path, "-c", "user.name=t", "-c", "user.email=t@t"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "release"], ["tag", TAG]):
        subprocess.run([*git, *args], check=True)
    return path


def venv(path, *packages):
    subprocess.run([sys.executable, "-m", "venv", path], check=True)
    if packages:
        pip(path, "-c", REPO / "envs/constraints.txt", *packages)
    return path


def pip(env, *args):
    run = subprocess.run(
        [env / "bin/python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        + list(map(str, args)),
        capture_output=True,
        text=True,
        env=BARE,
    )
    assert run.returncode == 0, run.stderr


def test_the_snakefile_source_is_the_workflows_own(tmp_path):
    """What the Snakefile exports for the post-deploy scripts, from Snakemake's source files."""
    assert pip_source(LocalSourceFile(str(REPO))) == str(REPO)
    module = LocalGitFile(str(tmp_path), "Snakefile", tag=TAG).get_basedir()
    assert pip_source(module) == f"git+file://{tmp_path}@{TAG}"
    hosted = GithubFile(GITHUB, path="Snakefile", tag=TAG).get_basedir()
    assert pip_source(hosted) == f"git+https://github.com/{GITHUB}@{TAG}"
    assert pip_source(LocalSourceFile(str(tmp_path))) == f"scaleinv=={scaleinv.__version__}"


def test_jobs_inherit_the_checkouts_src_first_once_and_the_users_own_source(monkeypatch, tmp_path):
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    monkeypatch.setenv(VARIABLE, "scaleinv==0.1.0")  # the user's choice is kept
    for _ in range(2):  # Snakemake parses the Snakefile again in every job
        export_for_jobs(str(tmp_path), LocalSourceFile(str(REPO)))
    assert os.environ["PYTHONPATH"] == os.pathsep.join([str(tmp_path), "/elsewhere"])
    assert os.environ[VARIABLE] == "scaleinv==0.1.0"
    monkeypatch.delenv(VARIABLE)
    export_for_jobs("https://host/src", LocalSourceFile(str(REPO)))  # a remote module's src
    assert os.environ["PYTHONPATH"].split(os.pathsep)[0] == str(tmp_path)
    assert os.environ[VARIABLE] == str(REPO)


OPTIONAL = ("polars", "pyarrow", "matplotlib", "pandas")  # extras: tables, plots
WORKFLOW_ONLY = ("torch", "snakemake", "sklearn", "numba", "yaml")
IMPORT_RUNS = 5  # cold imports per side; the fastest of each counts (load only slows)
# `import scaleinv.powerlaw` against `import numpy, scipy.special`, the floor the core cannot
# go under (powerlaw_fit needs both at import). 3x that floor is 0.45 s on this project's
# 2-core machine, the 0.5 s with a margin; a ratio, unlike seconds, holds on a slower
# or busier CI machine, so the absolute 0.5 s is asserted beside it on the fastest run only.
IMPORT_RATIO = 3.0
IMPORT_SECONDS = 0.5


def link_distribution(name, site_packages):
    """Symlink an installed distribution (its packages, .libs and dist-info) from this venv
    into `site_packages`: the core's venv gets numpy and scipy without a download."""
    from importlib.metadata import distribution

    dist = distribution(name)
    tops = {file.parts[0] for file in dist.files if file.parts[0] != ".."}
    for top in tops:
        (site_packages / top).symlink_to(dist.locate_file(top))


@pytest.fixture(scope="module")
def core_venv(tmp_path_factory):
    """A fresh venv holding numpy and scipy (linked from this venv) and scaleinv's wheel,
    installed with --no-deps from a copy of the checkout: nothing else, nothing downloaded."""
    root = tmp_path_factory.mktemp("core")
    source = copy_files(PACKAGE_FILES, root / "source")
    wheels = root / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
         "--no-deps", "--no-build-isolation", "--wheel-dir", wheels, source],
        capture_output=True, text=True, env=BARE,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    env = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", env], check=True)
    site_packages = next(env.glob("lib/python3.*/site-packages"))
    for name in ("numpy", "scipy"):
        link_distribution(name, site_packages)
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", env / "bin/python", "install", "--quiet",
         "--disable-pip-version-check", "--no-deps", "--no-index", *wheels.glob("*.whl")],
        capture_output=True, text=True, env=BARE,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    return env


def in_venv(env, code, cwd):
    run = subprocess.run(
        [env / "bin/python", "-c", code], capture_output=True, text=True, env=BARE, cwd=cwd
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def fastest_import(env, modules, cwd):
    code = (
        "import time; start = time.perf_counter(); "
        f"import {modules}; print(time.perf_counter() - start)"
    )
    return min(float(in_venv(env, code, cwd)) for _ in range(IMPORT_RUNS))


@pytest.mark.slow
def test_the_core_installs_with_numpy_and_scipy_alone(core_venv, tmp_path):
    """Issue 35 item 6: the core's wheel in a venv with nothing but numpy and scipy imports
    the library, fits, tests and runs `scaleinv fit --help`, and neither imports nor needs
    the tables' or plots' packages; its import stays near the numpy + scipy.special floor."""
    modules = OPTIONAL + WORKFLOW_ONLY
    found = in_venv(
        core_venv,
        f"import importlib.util as u; print([m for m in {modules!r} if u.find_spec(m)])",
        tmp_path,
    )
    assert found.strip() == "[]", found
    script = (
        "import sys\n"
        "import scaleinv.powerlaw\n"
        f"print([m for m in {OPTIONAL!r} if m in sys.modules])\n"
        "import numpy as np\n"
        "fit = scaleinv.powerlaw.Fit(np.random.default_rng(0).zipf(2.5, 2000))\n"
        "p = fit.p_value(replicates=50, seed=1)\n"
        "print(scaleinv.powerlaw.__file__, fit.alpha, float(p))\n"
        f"print([m for m in {OPTIONAL!r} if m in sys.modules])\n"
    )
    loaded, where, after = in_venv(core_venv, script, tmp_path).splitlines()
    assert loaded == "[]" and after == "[]", (loaded, after)
    path, alpha, p = where.split()
    assert path.startswith(str(core_venv / "lib")), path
    assert 2.3 < float(alpha) < 2.7 and 0 <= float(p) <= 1
    usage = subprocess.run(
        [core_venv / "bin/scaleinv", "fit", "--help"], capture_output=True, text=True, env=BARE
    )
    assert usage.returncode == 0 and usage.stdout.startswith("usage: scaleinv fit"), usage.stderr
    import polars as pl  # here, not in the core's venv

    pl.DataFrame({"k": [1, 2, 3]}).write_parquet(tmp_path / "sizes.parquet")
    parquet = subprocess.run(
        [core_venv / "bin/scaleinv", "fit", "sizes.parquet", "--column", "k"],
        capture_output=True, text=True, env=BARE, cwd=tmp_path,
    )  # fmt: skip
    assert parquet.returncode == 1 and parquet.stderr.count("\n") == 1, parquet.stderr
    assert "pip install 'scaleinv[tables]'" in parquet.stderr
    floor = fastest_import(core_venv, "numpy, scipy.special", tmp_path)
    core = fastest_import(core_venv, "scaleinv.powerlaw", tmp_path)
    print(f"import numpy, scipy.special {floor:.3f} s; scaleinv.powerlaw {core:.3f} s")
    assert core <= IMPORT_RATIO * floor, f"{core:.3f} s > {IMPORT_RATIO} x {floor:.3f} s"
    assert core <= IMPORT_SECONDS, f"import scaleinv.powerlaw took {core:.3f} s"


@pytest.mark.slow
def test_the_core_alone_runs_the_readme_library_example(core_venv, tmp_path):
    """The README's library example and a refused text input, in the core's venv."""
    readme = (REPO / "README.md").read_text().split("## The library\n", 1)[1]
    example = readme.split("```python\n", 1)[1].split("```", 1)[0]
    out = in_venv(core_venv, example, tmp_path)  # its numbers: tests/test_docs.py
    assert re.match(r"alpha = 2\.\d+ \+- 0\.0\d+, ", out), out
    (tmp_path / "sizes.txt").write_text("1\n0\n")
    refused = subprocess.run(
        [core_venv / "bin/scaleinv", "fit", "sizes.txt"],
        capture_output=True, text=True, cwd=tmp_path, env=BARE,
    )  # fmt: skip
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1, refused.stderr
    assert "sizes.txt line 2: '0' is not an integer >= 1" in refused.stderr


def run_post_deploy(script, tmp_path, source, extra=None):
    """`script` as Snakemake runs it (deployment/conda.py): copied to
    <conda-prefix>/<hash>.post-deploy.sh, run by its shebang's interpreter inside the
    environment, from the user's directory; returns the environment and the result."""
    prefix = tmp_path / ".snakemake/conda"
    env = venv(prefix / "0123abcd", "setuptools>=77")
    copy = prefix / "0123abcd.post-deploy.sh"
    shutil.copy(REPO / "envs" / script, copy)
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    environment = {**BARE, "PATH": f"{env / 'bin'}:{BARE['PATH']}", **(extra or {})}
    if source is not None:
        environment[VARIABLE] = source
    run = subprocess.run(
        ["bash", copy], cwd=project, env=environment, capture_output=True, text=True
    )
    return env, run


def installed(env):
    where = subprocess.run(
        [
            env / "bin/python",
            "-c",
            "import scaleinv; print(scaleinv.__version__, scaleinv.__file__)",
        ],
        capture_output=True,
        text=True,
        env=BARE,
        cwd=env,
    )
    return where.stdout.split()


@pytest.mark.slow
def test_post_deploy_installs_a_checkout_editable(tmp_path):
    checkout = copy_files(PACKAGE_FILES, tmp_path / "checkout")
    env, run = run_post_deploy(
        "analysis.post-deploy.sh", tmp_path, pip_source(LocalSourceFile(str(checkout)))
    )
    assert run.returncode == 0, run.stderr
    assert installed(env) == [scaleinv.__version__, str(checkout / "src/scaleinv/__init__.py")]


@pytest.mark.slow
def test_post_deploy_installs_a_modules_tag_from_git(tmp_path):
    repository = tagged_repository(tmp_path / "repository")
    source = pip_source(GithubFile(GITHUB, path="Snakefile", tag=TAG).get_basedir())
    env, run = run_post_deploy("torch.post-deploy.sh", tmp_path, source, offline_github(repository))
    assert run.returncode == 0, run.stderr
    version, path = installed(env)
    assert version == scaleinv.__version__ and path.startswith(str(env / "lib"))


def test_post_deploy_without_a_source_says_how_to_run_it(tmp_path):
    copy = tmp_path / "0123abcd.post-deploy.sh"
    shutil.copy(REPO / "envs/analysis.post-deploy.sh", copy)
    run = subprocess.run(["bash", copy], cwd=tmp_path, env=BARE, capture_output=True, text=True)
    assert run.returncode != 0 and run.stderr.count("\n") == 1
    assert (
        "SCALEINV_SOURCE: is not set: create the environments through the workflow's" in run.stderr
    )


@pytest.mark.slow
@pytest.mark.snakemake
def test_a_remote_module_from_a_git_tag_parses_plans_and_runs(tmp_path):
    """A module loaded with github(...): its src/ is a URL, so the Snakefile takes the
    installed scaleinv, exports the tag as the envs' source, and the jobs run."""
    repository = tagged_repository(tmp_path / "repository")
    project = tmp_path / "project"
    project.mkdir()
    (project / "config.yaml").write_text(
        "data: {mirrors: [], download: false}\n"
        "experiments: {mlp: {kind: mlp, dataset: digits, widths: [12], epochs: 1, snapshots: [1]}}\n"
    )
    (project / "Snakefile").write_text(
        'import os\n\n\nconfigfile: "config.yaml"\n\n\n'
        "module scaleinv:\n"
        f'    snakefile:\n        github("{GITHUB}", path="Snakefile", tag="{TAG}")\n'
        "    config:\n        config\n\n\n"
        "use rule * from scaleinv\n\n\n"
        "rule source:\n    output:\n        'source.txt',\n"
        f"    run:\n        open(output[0], 'w').write(os.environ['{VARIABLE}'])\n"
    )
    offline = {**offline_github(repository), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    plan = snakemake(project, "-n", "--cores", "1", env=offline)
    assert plan.returncode == 0 and "This was a dry-run" in plan.stdout, plan.stdout
    targets = ("source.txt", "results/degeneracy/mlp.parquet")
    run = snakemake(project, "--cores", "2", *targets, env=offline)
    assert run.returncode == 0, run.stdout
    assert (project / "source.txt").read_text() == f"git+https://github.com/{GITHUB}@{TAG}"
    assert (project / "results/degeneracy/mlp.parquet").read_bytes().startswith(b"PAR1")
    assert not (project / "src").exists()
