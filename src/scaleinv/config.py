"""Config checks: one line per problem, naming the key, the bad value and what is allowed.

The JSON schema (workflow/schemas/config.schema.yaml) holds the rules a schema can say;
`consistency_errors` holds those it cannot (a snapshot beyond the last epoch, an
experiment on a dataset with no checksums).
"""

from jsonschema import Draft202012Validator
from jsonschema.exceptions import relevance

from scaleinv.datasets.catalog import IMAGE_DATASETS, checksummed_files

_BOUNDS = {
    "minimum": ">=",
    "maximum": "<=",
    "exclusiveMinimum": ">",
    "exclusiveMaximum": "<",
}


def complete_figures(config, schema):
    """Give a figure entry that sets only some keys its figure's defaults for the rest.

    The schema's per-figure default applies only when the whole entry is missing, so
    `fig2: {width: 9}` would otherwise draw every experiment instead of rbm and kmeans.
    """
    figures = config.get("figures")
    defaults = schema["properties"]["figures"]["properties"]
    for name, entry in figures.items() if isinstance(figures, dict) else ():
        if isinstance(entry, dict) and name in defaults:
            for key, value in defaults[name].get("default", {}).items():
                entry.setdefault(key, value)


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
    return f"{key}: {error.message}"


def consistency_errors(config):
    """Problems across keys, for a config that already passed the schema."""
    errors = []
    datasets = config.get("datasets", {})
    for dataset, spec in datasets.items():
        for name, digests in spec.get("checksums", {}).items():
            if not any(digests.values()):
                errors.append(
                    f"datasets.{dataset}.checksums.{name} needs md5 or sha256_uncompressed"
                )
    for name, experiment in config.get("experiments", {}).items():
        key = f"experiments.{name}"
        epochs = experiment.get("epochs", 0)
        late = [s for s in experiment.get("snapshots", []) if s > epochs]
        if experiment.get("kind") not in ("kmeans", "tsne") and late:
            errors.append(f"{key}.snapshots must be <= epochs ({epochs}) (got {late})")
        if experiment["kind"] == "tsne":
            for role in ("codes_of", "clusters_of"):
                other = config["experiments"].get(experiment[role])
                if other is None or other["dataset"] != experiment["dataset"]:
                    errors.append(
                        f"{key}.{role} must name an experiment on dataset "
                        f"{experiment['dataset']} (got {experiment[role]!r})"
                    )
        if (experiment["dataset"] == "ising") != (experiment["kind"] == "ising_ae"):
            errors.append(
                f"{key}: kind ising_ae goes with dataset ising and no other "
                f"(got kind {experiment['kind']!r}, dataset {experiment['dataset']!r})"
            )
    return errors + _missing_checksums(config) + _unknown_figure_experiments(config)


def _unknown_figure_experiments(config):
    experiments = config.get("experiments", {})
    errors = []
    for figure, settings in config.get("figures", {}).items():
        unknown = [name for name in settings.get("experiments", []) if name not in experiments]
        if unknown:
            errors.append(
                f"figures.{figure}.experiments names unknown experiments {unknown}; "
                f"configured: {', '.join(experiments)}"
            )
    embedding = config.get("figures", {}).get("fig2", {}).get("embedding")
    if embedding and experiments.get(embedding, {}).get("kind") != "tsne":
        errors.append(f"figures.fig2.embedding must name a tsne experiment (got {embedding!r})")
    return errors


def _missing_checksums(config):
    users = {}
    for name, experiment in config.get("experiments", {}).items():
        users.setdefault(experiment["dataset"], []).append(name)
    errors = []
    for dataset, experiments in users.items():
        if dataset not in IMAGE_DATASETS:
            continue
        checksums = config.get("datasets", {}).get(dataset, {}).get("checksums", {})
        missing = [name for name in checksummed_files(dataset) if name not in checksums]
        if missing:
            errors.append(
                f"datasets.{dataset}.checksums lacks {', '.join(missing)}, needed by "
                f"experiments {', '.join(experiments)}; add the published digests (see config.yaml)"
            )
    return errors
