"""Config checks: one line per problem, naming the key, the bad value and what is allowed.

The JSON schema (workflow/schemas/config.schema.yaml) holds the rules a schema can say;
`consistency_errors` holds those it cannot (a kind the registry lacks, a snapshot beyond
the last epoch, a figure of unknown experiments).
"""

import copy
import math
import re

import yaml
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import relevance

from scaleinv.datasets.catalog import DATASETS, IMAGE_DATASETS, family
from scaleinv.errors import ScaleinvError
from scaleinv.inputs import NAME as NAME_PATTERN
from scaleinv.inputs import NAME_RULE, shown, template_errors
from scaleinv.plan.experiments import expand_experiments, training_jobs
from scaleinv.plan.figures import FIGURES
from scaleinv.plan.kinds import KINDS
from scaleinv.plan.sweeps import axis_errors, axis_named, grid_size
from scaleinv.plan.targets import scaling_experiments

# Experiment names become file paths, rule names and wildcard patterns (fullmatch: `$`
# would match before a final line break).
NAME = re.compile(NAME_PATTERN)
# Names an experiment or sweep may not take: the workflow's rules and the folders of
# results/ (tests/test_external_inputs.py keeps them in step with the rules), except the
# kinds' names, which experiments conventionally take (an experiment tsne of kind tsne).
RESERVED = frozenset(
    (
        *("all", "dataset", "ising", "ising_autocorr", "metrics_summary", "train"),
        *("network_codes", "kmeans_codes", "external_codes", "degeneracy", "information"),
        *("projection_codes", "matched_kmeans_codes", "shuffled_codes", "null_comparison"),
        *("random_bit_codes", "untrained_codes", "relevance"),
        *("scaling", "scaling_figure"),
        *("fits", "fits_summary", "sweep_table", "sweep_figure", "claims", "data", "codes"),
        *("embeddings", "sweeps", "figures", "logs", "benchmarks", "downloads"),
    )
) - set(KINDS)
# A config holds at most this many values (list items and mapping entries, an alias counted
# each time it is used): a YAML alias bomb is refused before anything walks it whole.
MAX_VALUES = 100_000

# An integer key takes an int and nothing else: jsonschema counts 2.0 as an integer, and a
# job then fails on range(2.0) or writes a float where an Int32 column stands. One rule for
# every integer key, in the config and in sweeps: refused, naming the int to write.
Validator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _, value: isinstance(value, int) and not isinstance(value, bool)
    ),
)

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
    size = value_errors(config) or sweep_size_errors(config, schema)
    if size:  # before anything copies, validates or expands the whole config
        return size
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


class _StrictLoader(yaml.SafeLoader):
    """YAML that refuses a key written twice in one mapping (YAML 1.2 forbids it; PyYAML,
    and with it Snakemake, keeps the last silently)."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise ScaleinvError(
                    f"key {shown(key)} appears twice in one mapping (lines {seen[key]} and "
                    f"{line}); the second would silently replace the first: merge them"
                )
            seen[key] = line
        return super().construct_mapping(node, deep)


def duplicate_key_errors(paths):
    """Config files (`configfile:` and every `--configfile`, which Snakemake loads itself)
    read again with a loader that refuses duplicate keys; one line per file that has one."""
    errors = []
    for path in paths:
        try:
            with open(path) as file:
                yaml.load(file, Loader=_StrictLoader)  # noqa: S506 (a SafeLoader)
        except ScaleinvError as error:
            errors.append(f"{path}: {error}")
        except (OSError, yaml.YAMLError):
            pass  # Snakemake read it already; its own message covers a file it could not
    return errors


def value_errors(config):
    """A config too big to walk (more than MAX_VALUES values), or the numbers in it that are
    NaN or infinite (every comparison with NaN is false, so no range check catches it)."""
    errors, stack, count = [], [("", config)], 0
    while stack:
        key, value = stack.pop()
        count += 1
        if count > MAX_VALUES:
            return [
                f"the config holds more than {MAX_VALUES:,} values (at {key or 'config'}); "
                "a YAML alias (*name) repeats its anchor's values, so aliases of aliases "
                "multiply them: write the values out"
            ]
        if isinstance(value, dict):
            stack += [(f"{key}.{k}" if key else str(k), v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(f"{key}[{i}]", v) for i, v in enumerate(value)]
        elif isinstance(value, float) and not math.isfinite(value):
            errors.append(f"{key} must be a finite number (got {value})")
    return sorted(errors)


def sweep_size_errors(config, schema):
    """Sweeps with more points than `limits.sweep_points`, named with their size before any
    point is made (a 10^4-point grid took minutes to plan)."""
    limit = _limit(config, schema, "sweep_points")
    sweeps = config.get("sweeps")
    errors = []
    for name, sweep in sweeps.items() if isinstance(sweeps, dict) and limit else ():
        axes = sweep.get("axes") if isinstance(sweep, dict) else None
        if not isinstance(axes, dict) or not all(isinstance(v, list) for v in axes.values()):
            continue  # left to the schema check
        points, shape = grid_size(axes)
        if points > limit:
            errors.append(
                f"sweeps.{name} has {points:,} points ({shape}), more than "
                f"limits.sweep_points = {limit:,}; shorten its axes, or raise "
                "limits.sweep_points to run it"
            )
    return errors


def _limit(config, schema, name):
    """limits.<name> as written, else its schema default (None: not an integer yet)."""
    limits = config.get("limits", {})
    default = schema["properties"]["limits"]["properties"][name]["default"]
    value = limits.get(name, default) if isinstance(limits, dict) else default
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def planned_jobs(experiments):
    """Jobs the config plans, near enough to cap them: each training, each codes file and
    the three tables of every experiment."""
    files = sum(len(e.seeds) * len(e.snapshots) + 3 for e in experiments.values())
    return files + len(training_jobs(experiments))


def _job_errors(config):
    experiments = expand_experiments(config)
    jobs, limit = planned_jobs(experiments), config["limits"]["jobs"]
    if jobs <= limit:
        return []
    points = {}
    for experiment in experiments.values():
        if experiment.sweep:
            points[experiment.sweep] = points.get(experiment.sweep, 0) + 1
    largest = ", ".join(
        f"{name} ({n:,} points)" for name, n in sorted(points.items(), key=lambda p: -p[1])[:3]
    )
    return [
        f"the config plans about {jobs:,} jobs (trainings, codes files, tables), more than "
        f"limits.jobs = {limit:,}"
        + (f"; its largest sweeps: {largest}" if largest else "")
        + "; raise limits.jobs to run it"
    ]


# Splits a fits table holds per layer at most (train, test).
FIT_SPLITS = 2
# The counts of each fit's bootstraps, in `analysis` (the fits tables) and in `scaling` (each
# subsample's fit): the sequential test may stop earlier, so these are the most drawn.
BOOTSTRAPS = ("bootstrap", "estimator_bootstrap", "occupancy_bootstrap")


def layer_count(experiment, experiments):
    """Layers of an experiment's codes, near enough to cap the work: its hidden layers (a
    matched null's target_layers, else its target's) and the input layer x."""
    settings = experiment.settings
    kind = KINDS[settings["kind"]]
    if kind.matched:
        target = experiments.get(settings["target"], {})  # a wrong target: checked later
        target_kind = KINDS.get(target.get("kind"))
        deep = target_kind is not None and "widths" in target_kind.keys
        hidden = len(settings["target_layers"]) or (len(target["widths"]) if deep else 1)
    else:
        hidden = len(settings["widths"]) if "widths" in kind.keys else 1
    return hidden + 1


def scaling_factors(config, experiments):
    """{experiment id: ((count, word), ...)} of the scaling analysis: seeds analysed,
    snapshots, layers, splits, sizes and replicates; their product is its subsample fits at
    most (a size at or above a layer's inputs is taken once, so the run may fit fewer)."""
    scaling, planned = config["scaling"], {}
    for id in scaling_experiments(config, experiments):
        experiment = experiments[id]
        seeds = experiment.seeds[: scaling["seeds"]] if scaling["seeds"] else experiment.seeds
        planned[id] = (
            (len(seeds), "seed"),
            (len(experiment.snapshots), "snapshot"),
            (layer_count(experiment, config["experiments"]), "layer"),
            (len(scaling["splits"]), "split"),
            (len(scaling["sizes"]), "size"),
            (scaling["replicates"], "replicate"),
        )
    return planned


def _product(factors):
    return math.prod(n for n, _ in factors)


def planned_replicates(config, experiments):
    """(bootstrap replicates at most, the parts in words): every fits-table fit's
    analysis.bootstrap, estimator_bootstrap and occupancy_bootstrap (each layer, split,
    snapshot and seed of an experiment that writes codes), every subsample fit's scaling
    ones, and each scaled layer's scaling.pair_draws (a draw counted as one replicate)."""
    fits = sum(
        len(e.seeds) * len(e.snapshots) * layer_count(e, config["experiments"]) * FIT_SPLITS
        for e in experiments.values()
        if not KINDS[e.kind].writes_embedding
    )
    scaled = scaling_factors(config, experiments).values()
    subsamples = sum(map(_product, scaled))
    layers = sum(_product(factors[:4]) for factors in scaled)  # (seed, epoch, layer, split)
    analysis, scaling = config["analysis"], config["scaling"]
    per_fit = sum(analysis[name] for name in BOOTSTRAPS)
    per_subsample = sum(scaling[name] for name in BOOTSTRAPS)
    total = fits * per_fit + subsamples * per_subsample + layers * scaling["pair_draws"]
    words = (
        f"{fits:,} layer fits x {per_fit:,} (analysis.{' + '.join(BOOTSTRAPS)}), "
        f"{subsamples:,} subsample fits x {per_subsample:,} (scaling.{' + '.join(BOOTSTRAPS)}) "
        f"and {layers:,} scaled layers x {scaling['pair_draws']:,} (scaling.pair_draws)"
    )
    return total, words


def _subsample_errors(config, experiments):
    planned, limit = scaling_factors(config, experiments), config["limits"]["subsamples"]
    total = sum(map(_product, planned.values()))
    if total <= limit:
        return []
    largest = max(planned, key=lambda id: _product(planned[id]))
    factors = " x ".join(f"{n:,} {word}{'' if n == 1 else 's'}" for n, word in planned[largest])
    return [
        f"scaling plans up to {total:,} subsample fits, more than limits.subsamples = "
        f"{limit:,} (the most: {largest}, {factors} = {_product(planned[largest]):,}); lower "
        "scaling.sizes, replicates, seeds or splits, or raise limits.subsamples to run it"
    ]


def _replicate_errors(config, experiments):
    (total, words), limit = planned_replicates(config, experiments), config["limits"]["replicates"]
    if total <= limit:
        return []
    return [
        f"the config plans up to {total:,} bootstrap replicates, more than limits.replicates "
        f"= {limit:,}: {words}; lower a count named here, or raise limits.replicates to run it"
    ]


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
    validator = Validator(schema)
    errors = sorted(validator.iter_errors(config), key=relevance)
    return [_describe(error) for error in errors]


def _describe(error, prefix=""):
    key = ".".join([*filter(None, [prefix]), *map(str, error.absolute_path)]) or "config"
    kind, allowed, got = error.validator, error.validator_value, shown(error.instance)
    if kind in _BOUNDS:
        return f"{key} must be {_BOUNDS[kind]} {allowed} (got {got})"
    if kind == "enum":
        choices = ", ".join(map(str, allowed))
        if "propertyNames" in error.schema_path:
            return f"{key} has unknown entry {got}; allowed: {choices}"
        return f"{key} must be one of {choices} (got {got})"
    if _whole(error.instance) and (
        (kind == "type" and allowed == "integer")
        or (kind == "oneOf" and any(option.get("type") == "integer" for option in allowed))
    ):
        return f"{key} must be an integer: write {int(error.instance)}, not {error.instance!r}"
    if kind == "type":
        return f"{key} must be of type {allowed} (got {got})"
    if kind == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        unknown = sorted(str(name)[:60] for name in set(error.instance) - set(known))
        return f"{key} has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(known)}"
    if kind == "required":
        return f"{key} is missing {error.message.split(' is a')[0]}"
    if kind == "minItems":
        return f"{key} must list at least {allowed} item(s) (got {got})"
    if kind == "pattern":
        return f"{key} must match {allowed} (got {got})"
    if kind == "uniqueItems":
        return f"{key} must not repeat a value (got {got})"
    return f"{key}: {shown(error.message)}"


def _whole(value):
    return isinstance(value, float) and math.isfinite(value) and value == int(value)


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
            f"experiments.{name}.kind must be one of {', '.join(KINDS)} (got {shown(kind)})"
            for name, kind in unknown.items()
        ]
    names = _name_errors(config) or _sweep_errors(config, schema) or _collisions(config)
    if names:  # later checks expand names into ids
        return names
    expanded = expand_experiments(config)
    costs = (
        _job_errors(config)
        + _subsample_errors(config, expanded)
        + _replicate_errors(config, expanded)
    )
    if costs:  # before any later check walks every experiment
        return costs
    for name, experiment in experiments.items():
        errors += _experiment_errors(
            f"experiments.{name}", experiment, experiments, config["ising"]["temperatures"]
        )
        errors += _data_size_errors(f"experiments.{name}", experiment, config)
    errors += _point_errors(config, schema)
    errors += temperature_errors("ising.temperatures", config["ising"]["temperatures"])
    return errors + _figure_errors(config) + _scaling_errors(config)


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


def temperature_errors(key, temperatures):
    """Temperatures (strings, as file names write them) must be > 0 and differ as numbers:
    "2.26" and "2.260" would simulate one temperature twice under two ids."""
    if not temperatures:
        return []
    values = [float(T) for T in temperatures]
    if min(values) <= 0:
        return [f"{key} must be > 0 (got {shown([T for T in temperatures if float(T) <= 0])})"]
    if len(set(values)) < len(values):
        return [f"{key} must not repeat a temperature as a number (got {shown(temperatures)})"]
    return []


def _sweep_errors(config, schema):
    """A sweep's name, base and axes, each value as the schema and the cross-key checks see
    the experiment key it varies (its points are checked again once they are expanded)."""
    errors = []
    experiments = config.get("experiments", {})
    for name, sweep in config.get("sweeps", {}).items():
        key = f"sweeps.{name}"
        if not NAME.fullmatch(name) or name in experiments or name in RESERVED:
            errors.append(
                f"{key}: a sweep name is {NAME_RULE}, and neither an experiment's name "
                f"nor a rule's or results/ folder's (it starts the id of every point; got "
                f"{shown(name)})"
            )
        base = experiments.get(sweep["base"])
        if base is None or KINDS[base["kind"]].writes_embedding:
            errors.append(
                f"{key}.base must name an experiment that writes codes (got "
                f"{shown(sweep['base'])}; configured: {', '.join(experiments)})"
            )
            continue
        for axis, values in sweep["axes"].items():
            found = axis_errors(f"{key}.axes", axis, values, base)
            errors += found or _axis_value_errors(f"{key}.axes.{axis}", axis, values, schema)
    return errors


def _axis_value_errors(key, name, values, schema):
    """Each value of an axis against the schema of the setting it varies (the list itself
    for a list axis), then the cross-key rule of temperatures."""
    axis = axis_named(name)
    node = schema["$defs"]["experiment"]
    for part in axis.schema_path:
        node = node[part]
    validator = Validator({**node, "$defs": schema["$defs"]})
    checked = [("", values)] if not axis.grid else [(f"[{i}]", v) for i, v in enumerate(values)]
    for where, value in checked:
        for error in sorted(validator.iter_errors(value), key=relevance):
            return [_describe(error, f"{key}{where}")]
    if axis.key == "temperatures":
        return temperature_errors(key, values)
    return []


def _point_errors(config, schema):
    """Each sweep point's settings, as the schema and the cross-key checks see an experiment."""
    validator = Validator({**schema["$defs"]["experiment"], "$defs": schema["$defs"]})
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
            errors += _experiment_errors(
                key, experiment.settings, config["experiments"], config["ising"]["temperatures"]
            )
            errors += _data_size_errors(key, experiment.settings, config)
    return errors


def _name_errors(config):
    bad = [name for name in config.get("experiments", {}) if not NAME.fullmatch(name)]
    reserved = sorted(RESERVED & set(config.get("experiments", {})))
    if bad or reserved:
        return [
            f"experiments has a name that is not allowed: {shown(name)}; a name is a letter "
            f"followed by letters, digits, _ or - (names become paths and rule names)"
            for name in bad
        ] + [
            f"experiments has a reserved name: {name!r}, the name of a rule or of a results/ "
            f"folder; rename it (reserved: {', '.join(sorted(RESERVED))})"
            for name in reserved
        ]
    return []


def _collisions(config):
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


def _beside_target_errors(key, experiment, target, ising_temperatures):
    """A de-duplicating null is read beside its target at each temperature, seed and layer:
    one the target lacks would be trained and fitted, then compared with nothing."""
    name, errors = experiment["target"], []
    own = experiment.get("temperatures") or ising_temperatures
    theirs = target.get("temperatures") or ising_temperatures
    missing = [t for t in own if float(t) not in set(map(float, theirs))]
    if missing:
        errors.append(
            f"{key}.temperatures must be temperatures of its target {name} ({theirs}) "
            f"(got {missing}); a null is compared with its target at the same temperature"
        )
    missing = sorted(set(experiment["seeds"]) - set(target["seeds"]))
    if missing:
        errors.append(
            f"{key}.seeds must be seeds of its target {name} ({target['seeds']}) (got "
            f"{missing}); a null is compared with its target's codes of the same seed"
        )
    if len(experiment["widths"]) > len(target["widths"]):
        errors.append(
            f"{key}.widths has {len(experiment['widths'])} layers, more than its target "
            f"{name} ({target['widths']}); a null's layer is compared with the target's "
            "layer of the same name"
        )
    return errors


def _experiment_errors(key, experiment, experiments, ising_temperatures=()):
    kind = KINDS[experiment["kind"]]
    errors = []
    epochs = experiment.get("epochs", 0)
    late = [s for s in experiment.get("snapshots", []) if s > epochs]
    errors += temperature_errors(f"{key}.temperatures", experiment.get("temperatures"))
    if kind.trains and late:
        errors.append(f"{key}.snapshots must be <= epochs ({epochs}) (got {late})")
    sources = experiment.get("codes", ""), experiment.get("activations", "")
    if kind.external and sum(map(bool, sources)) != 1:
        errors.append(
            f"{key} (kind {kind.name}) needs exactly one of codes (a codes .parquet file) or "
            f"activations (an .npz file) (got codes {shown(sources[0])}, activations "
            f"{shown(sources[1])})"
        )
    for source in ("codes", "activations") if kind.external else ():
        if experiment[source]:
            errors += template_errors(f"{key}.{source}", experiment[source], experiment["seeds"])
    if kind.layers and len(experiment["widths"]) != kind.layers:
        errors.append(
            f"{key}.widths must list exactly {kind.layers} width(s) for kind {kind.name} "
            f"(got {experiment['widths']})"
        )
    if kind.writes_embedding:  # an embedding of other experiments' codes
        roles = {
            "codes_of": ("codes", lambda other: not other.writes_embedding),
            "clusters_of": (
                "cluster ids",
                lambda other: other.writes_cluster_ids and not other.matched,
            ),
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
                    f"dataset {experiment['dataset']} (got {shown(experiment[role])})"
                )
    if kind.matched:
        errors += _target_errors(key, experiment, experiments)
    elif kind.deduplicates:
        target = experiments.get(experiment["target"])
        fits = [k.name for k in KINDS.values() if k.trains and k.on_ising and not k.null]
        if target is None or target["kind"] not in fits:
            errors.append(
                f"{key}.target must name the experiment of kind {', '.join(fits)} it stands "
                f"beside (got {experiment['target']!r})"
            )
        else:
            errors += _beside_target_errors(key, experiment, target, ising_temperatures)
    if kind.reads_dataset and family(experiment["dataset"]) != kind.dataset:
        ising_kinds = ", ".join(k.name for k in KINDS.values() if k.on_ising)
        errors.append(
            f"{key}: kind {ising_kinds} goes with dataset ising and no other "
            f"(got kind {shown(kind.name)}, dataset {shown(experiment['dataset'])})"
        )
    return errors


def _target_errors(key, experiment, experiments):
    """A matched null's target: a configured network of the same image dataset that codes
    every seed of the null, with the layers it names (docs/null-codes.md)."""
    kind = KINDS[experiment["kind"]]
    target = experiments.get(experiment["target"])
    fits = (
        (
            lambda other: (
                other.trains and other.thresholds_activations and not (other.on_ising or other.null)
            )
        )
        if kind.runs_target_network
        else (
            lambda other: (
                other.reads_dataset and not (other.null or other.on_ising or other.writes_embedding)
            )
        )
    )
    if (
        target is None
        or not fits(KINDS[target["kind"]])
        or target["dataset"] != experiment["dataset"]
    ):
        kinds = ", ".join(k.name for k in KINDS.values() if fits(k))
        return [
            f"{key}.target must name an experiment of kind {kinds} on dataset "
            f"{experiment['dataset']} (got {experiment['target']!r})"
        ]
    errors = []
    missing = sorted(set(experiment["seeds"]) - set(target["seeds"]))
    if missing:
        errors.append(
            f"{key}.seeds must be seeds of its target {experiment['target']} "
            f"({target['seeds']}); a null matches the target's codes of the same seed "
            f"(got {missing})"
        )
    depth = len(target["widths"]) if "widths" in KINDS[target["kind"]].keys else 1
    deep = [layer for layer in experiment["target_layers"] if int(layer[1:]) > depth]
    if deep:
        errors.append(
            f"{key}.target_layers must be layers of {experiment['target']} (z1 to z{depth}) "
            f"(got {deep})"
        )
    if kind.writes_cluster_ids and experiment["match"] != "distinct":
        errors.append(
            f"{key}.match must be distinct for kind {kind.name}: its K clusters are a "
            f"number of distinct codes (got {experiment['match']!r})"
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
                    f"embedding, such as kind {_embedding_kinds()} (got "
                    f"{shown(settings['embedding'])})"
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


def _embedding_kinds():
    return ", ".join(kind.name for kind in KINDS.values() if kind.writes_embedding)
