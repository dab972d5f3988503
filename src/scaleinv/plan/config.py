"""Config checks: one line per problem, naming the key, the bad value and what is allowed.

The JSON schema (workflow/schemas/config.schema.yaml) holds the rules a schema can say;
`consistency_errors` holds those it cannot (a kind the registry lacks, a snapshot beyond
the last epoch, an experiment on a dataset with no checksums).
"""

import copy
import re

from jsonschema import Draft202012Validator
from jsonschema.exceptions import relevance

from scaleinv.datasets.catalog import DATASETS, IMAGE_DATASETS, family
from scaleinv.plan.experiments import expand_experiments
from scaleinv.plan.figures import FIGURES
from scaleinv.plan.kinds import KINDS
from scaleinv.plan.sweeps import axis_errors

# Experiment names become file paths, rule names and wildcard patterns: no dots, slashes
# or regex characters.
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

_BOUNDS = {
    "minimum": ">=",
    "maximum": "<=",
    "exclusiveMinimum": ">",
    "exclusiveMaximum": "<",
}


def config_problems(config, schema, fill_defaults):
    """Check a config and fill its defaults; return its problems, one line each (none: it is
    good). fill_defaults(config) validates against the schema and fills its defaults in
    place (Snakemake's `validate`). Keys are checked against the kinds on the config as
    written, the rest after the defaults are in."""
    written = copy.deepcopy(config)
    if isinstance(config.get("datasets", {}), dict):
        for dataset in IMAGE_DATASETS:  # so the schema fills their defaults
            config.setdefault("datasets", {}).setdefault(dataset, {})
    complete_figures(config, schema)
    problems = schema_errors(config, schema)
    if problems:
        return problems
    fill_defaults(config)
    return unused_key_errors(written) + consistency_errors(config, schema)


def complete_figures(config, schema):
    """Fill each figure entry from its schema default, before validation.

    An entry that sets only some keys keeps its figure's defaults for the rest (the
    schema's default applies only when the whole entry is missing, so `fig2: {width: 9}`
    would otherwise draw every experiment). An entry the user did not write draws those
    of its default experiments that the config has, and is switched off (draw: false)
    when it has none, so a config of a few experiments (your own codes, say) need not
    mention every figure of the paper.
    """
    figures = config.setdefault("figures", {})
    if not isinstance(figures, dict):
        return  # left to the schema check, which names it
    configured = config.get("experiments")
    configured = set(configured) if isinstance(configured, dict) else set()
    for name, spec in schema["properties"]["figures"]["properties"].items():
        defaults = spec.get("default", {})
        if name not in FIGURES:
            continue  # style
        entry = figures.get(name)
        if isinstance(entry, dict):
            for key, value in defaults.items():
                entry.setdefault(key, value)
        elif entry is None:
            figures[name] = _default_entry(FIGURES[name], defaults, configured)


def _default_entry(figure, defaults, configured):
    wanted = defaults["experiments"]
    kept = [name for name in wanted if name in configured]
    embedding_found = not figure.embedding or defaults.get("embedding") in configured
    return {**defaults, "experiments": kept, "draw": embedding_found and (bool(kept) or not wanted)}


def schema_errors(config, schema):
    """One line per schema violation, most relevant first."""
    validator = Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=relevance)
    return [_describe(error) for error in errors]


def _describe(error):
    key = ".".join(str(part) for part in error.absolute_path) or "config"
    kind, allowed, got = error.validator, error.validator_value, error.instance
    if kind in _BOUNDS:
        return f"{key} must be {_BOUNDS[kind]} {allowed} (got {got!r})"
    if kind == "enum":
        choices = ", ".join(map(str, allowed))
        if "propertyNames" in error.schema_path:
            return f"{key} has unknown entry {got!r}; allowed: {choices}"
        return f"{key} must be one of {choices} (got {got!r})"
    if kind == "type":
        return f"{key} must be of type {allowed} (got {got!r})"
    if kind == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(got) - set(known))
        return f"{key} has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(known)}"
    if kind == "required":
        return f"{key} is missing {error.message.split(' is a')[0]}"
    if kind == "minItems":
        return f"{key} must list at least {allowed} item(s) (got {got!r})"
    if kind == "pattern":
        return f"{key} must match {allowed} (got {got!r})"
    if kind == "uniqueItems":
        return f"{key} must not repeat a value (got {got!r})"
    return f"{key}: {error.message}"


def consistency_errors(config, schema):
    """Problems across keys, for a config that already passed the schema."""
    errors = []
    datasets = config.get("datasets", {})
    for dataset, spec in datasets.items():
        for name, digests in spec.get("checksums", {}).items():
            if not any(digests.values()):
                errors.append(
                    f"datasets.{dataset}.checksums.{name} needs md5 or sha256_uncompressed"
                )
    experiments = config.get("experiments", {})
    unknown = {n: e["kind"] for n, e in experiments.items() if e["kind"] not in KINDS}
    if unknown:  # every later check reads the kind's registry entry
        return [
            f"experiments.{name}.kind must be one of {', '.join(KINDS)} (got {kind!r})"
            for name, kind in unknown.items()
        ]
    names = _sweep_errors(config) or _name_errors(config)
    if names:  # later checks expand names into ids
        return names
    for name, experiment in experiments.items():
        errors += _experiment_errors(f"experiments.{name}", experiment, experiments)
        errors += _data_size_errors(f"experiments.{name}", experiment, config)
    errors += _point_errors(config, schema)
    zero = [T for T in config.get("ising", {}).get("temperatures", []) if float(T) <= 0]
    if zero:
        errors.append(f"ising.temperatures must be > 0 (got {zero})")
    return errors + _missing_checksums(config) + _figure_errors(config) + _scaling_errors(config)


def unused_key_errors(config):
    """Keys an experiment sets that its kind does not read (an ignored setting is a silent
    mistake). Give it the config as written: the schema's defaults fill every key."""
    errors = []
    experiments = config.get("experiments")
    for name, experiment in experiments.items() if isinstance(experiments, dict) else ():
        kind = KINDS.get(experiment.get("kind")) if isinstance(experiment, dict) else None
        unused = sorted(set(experiment) - set(kind.config_keys)) if kind else []
        if unused:
            errors.append(
                f"experiments.{name} sets {', '.join(unused)}, which kind {kind.name} does not "
                f"use; remove it (kind {kind.name} reads {', '.join(kind.config_keys)})"
            )
    return errors


def _sweep_errors(config):
    """A sweep's name, base and axes (its points are checked once they are expanded)."""
    errors = []
    experiments = config.get("experiments", {})
    for name, sweep in config.get("sweeps", {}).items():
        key = f"sweeps.{name}"
        if not NAME.match(name) or name in experiments:
            errors.append(
                f"{key}: a sweep name is a letter followed by letters, digits, _ or -, and "
                "no experiment's name (it starts the id of every point)"
            )
        base = experiments.get(sweep["base"])
        if base is None or KINDS[base["kind"]].writes_embedding:
            errors.append(
                f"{key}.base must name an experiment that writes codes (got {sweep['base']!r}; "
                f"configured: {', '.join(experiments)})"
            )
            continue
        for axis, values in sweep["axes"].items():
            errors += axis_errors(f"{key}.axes", axis, values, base)
    return errors


def _point_errors(config, schema):
    """Each sweep point's settings, as the schema and the cross-key checks see an experiment."""
    validator = Draft202012Validator({**schema["$defs"]["experiment"], "$defs": schema["$defs"]})
    errors, points = [], {}
    for experiment in expand_experiments(config).values():
        if experiment.sweep:  # one check per point, not per temperature
            points.setdefault(experiment.name, experiment)
    for name, experiment in points.items():
        key = f"{experiment.key}[{name}]"
        problems = [
            _describe(e) for e in sorted(validator.iter_errors(experiment.settings), key=relevance)
        ]
        errors += [f"{key}: {problem}" for problem in problems]
        if not problems:
            errors += _experiment_errors(key, experiment.settings, config["experiments"])
            errors += _data_size_errors(key, experiment.settings, config)
    return errors


def _name_errors(config):
    bad = [name for name in config.get("experiments", {}) if not NAME.match(name)]
    if bad:
        return [
            f"experiments has a name that is not allowed: {name!r}; a name is a letter "
            "followed by letters, digits, _ or - (names become paths and rule names)"
            for name in bad
        ]
    errors, seen = [], {}
    for experiment in expand_experiments(config).values():
        other = seen.setdefault(experiment.rule_id, experiment)
        if other is not experiment:
            errors.append(
                f"experiments {other.name} and {experiment.name} collide: both give the id "
                f"{experiment.rule_id} in rule names; rename one"
            )
    return errors


def train_size(config, dataset):
    """Training samples of `dataset` (an image dataset, or ising) as the config defines it."""
    if dataset in DATASETS:
        return DATASETS[dataset].train_size(config.get("datasets", {}).get(dataset, {}))
    return config["ising"]["n_samples"]


def _data_size_errors(key, experiment, config):
    """Settings that need more samples than the dataset's training split has: k-means
    clusters, t-SNE samples (and a perplexity below the number of samples)."""
    kind = KINDS[experiment["kind"]]
    errors = []
    for name in ("clusters", "samples", "n_train"):
        if name in kind.keys and experiment[name] is not None:
            size = train_size(config, experiment["dataset"])
            if experiment[name] > size:
                errors.append(
                    f"{key}.{name} must be <= the {size} training samples of "
                    f"{experiment['dataset']} (got {experiment[name]})"
                )
    if "perplexity" in kind.keys and experiment["perplexity"] >= experiment["samples"]:
        errors.append(
            f"{key}.perplexity must be < samples ({experiment['samples']}) "
            f"(got {experiment['perplexity']})"
        )
    return errors


def _experiment_errors(key, experiment, experiments):
    kind = KINDS[experiment["kind"]]
    errors = []
    epochs = experiment.get("epochs", 0)
    late = [s for s in experiment.get("snapshots", []) if s > epochs]
    if kind.trains and late:
        errors.append(f"{key}.snapshots must be <= epochs ({epochs}) (got {late})")
    sources = experiment.get("codes", ""), experiment.get("activations", "")
    if kind.external and sum(map(bool, sources)) != 1:
        errors.append(
            f"{key} (kind {kind.name}) needs exactly one of codes (a codes .parquet file) or "
            f"activations (an .npz file) (got codes {sources[0]!r}, activations {sources[1]!r})"
        )
    if kind.layers and len(experiment["widths"]) != kind.layers:
        errors.append(
            f"{key}.widths must list exactly {kind.layers} width(s) for kind {kind.name} "
            f"(got {experiment['widths']})"
        )
    if kind.writes_embedding:  # an embedding of other experiments' codes
        roles = {
            "codes_of": ("codes", lambda other: not other.writes_embedding),
            "clusters_of": ("cluster ids", lambda other: other.writes_cluster_ids),
        }
        for role, (what, fits) in roles.items():
            other = experiments.get(experiment[role])
            kinds = ", ".join(k.name for k in KINDS.values() if fits(k))
            if (
                other is None
                or other["dataset"] != experiment["dataset"]
                or not fits(KINDS[other["kind"]])
            ):
                errors.append(
                    f"{key}.{role} must name an experiment with {what} (kind {kinds}) on "
                    f"dataset {experiment['dataset']} (got {experiment[role]!r})"
                )
    if kind.reads_dataset and family(experiment["dataset"]) != kind.dataset:
        ising_kinds = ", ".join(k.name for k in KINDS.values() if k.on_ising)
        errors.append(
            f"{key}: kind {ising_kinds} goes with dataset ising and no other "
            f"(got kind {kind.name!r}, dataset {experiment['dataset']!r})"
        )
    return errors


def _figure_errors(config):
    experiments = config.get("experiments", {})
    errors = []
    for figure, settings in config.get("figures", {}).items():
        if not settings.get("draw", True):
            continue
        unknown = [name for name in settings.get("experiments", []) if name not in experiments]
        if unknown:
            errors.append(
                f"figures.{figure}.experiments names unknown experiments {unknown}; "
                f"configured: {', '.join(experiments)}"
            )
        if figure in FIGURES and FIGURES[figure].embedding:
            source = experiments.get(settings["embedding"])
            if source is None or not KINDS[source["kind"]].writes_embedding:
                errors.append(
                    f"figures.{figure}.embedding must name an experiment that writes an "
                    f"embedding, such as kind {_embedding_kinds()} (got {settings['embedding']!r})"
                )
    return errors


def _scaling_errors(config):
    """scaling.experiments must name experiments that write codes (subsampling reads them)."""
    experiments = config.get("experiments", {})
    named = config.get("scaling", {}).get("experiments", [])
    bad = [
        name
        for name in named
        if name not in experiments or KINDS[experiments[name]["kind"]].writes_embedding
    ]
    if not bad:
        return []
    codes = [n for n, e in experiments.items() if not KINDS[e["kind"]].writes_embedding]
    return [
        f"scaling.experiments names {bad}, which are no experiments that write codes; "
        f"configured with codes: {', '.join(codes)}"
    ]


def _missing_checksums(config):
    users = {}
    for name, experiment in config.get("experiments", {}).items():
        if KINDS[experiment["kind"]].reads_dataset:
            users.setdefault(experiment["dataset"], []).append(name)
    errors = []
    for dataset, experiments in users.items():
        if dataset not in IMAGE_DATASETS:
            continue
        checksums = config.get("datasets", {}).get(dataset, {}).get("checksums", {})
        missing = [n for n in DATASETS[dataset].checksummed_files if n not in checksums]
        if missing:
            errors.append(
                f"datasets.{dataset}.checksums lacks {', '.join(missing)}, needed by "
                f"experiments {', '.join(experiments)}; add the published digests (see config.yaml)"
            )
    return errors


def _embedding_kinds():
    return ", ".join(kind.name for kind in KINDS.values() if kind.writes_embedding)
