"""The configuration reference, rendered from the config schema itself: the docs site builds it
at every build (docs/hooks/config_reference.py), so a key added to
workflow/schemas/config.schema.yaml is documented the moment it exists, and a page cannot
fall out of step with the validation."""

import json

_BOUNDS = (
    ("minimum", ">="),
    ("exclusiveMinimum", ">"),
    ("maximum", "<="),
    ("exclusiveMaximum", "<"),
)


def _resolve(spec, defs):
    """`spec` with a `$ref` to `#/$defs/<name>` replaced by that definition (its own keys,
    such as a description or a default written beside the reference, take precedence)."""
    if "$ref" not in spec:
        return spec
    name = spec["$ref"].removeprefix("#/$defs/")
    return {**defs[name], **{key: value for key, value in spec.items() if key != "$ref"}}


def _cell(text):
    """Text fit for one table cell: one line, pipes escaped, no `<` read as an HTML tag."""
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;")


def _type(spec):
    if "enum" in spec:
        return "one of " + ", ".join(f"`{value}`" for value in spec["enum"])
    kinds = spec.get("type", "")
    kinds = " or ".join(kinds) if isinstance(kinds, list) else kinds
    bounds = [f"{sign} {spec[key]}" for key, sign in _BOUNDS if key in spec]
    if "pattern" in spec:
        bounds.append(f"matching `{spec['pattern']}`")
    return ", ".join(filter(None, [kinds, *bounds]))


def _default(spec):
    return f"`{json.dumps(spec['default'])}`" if "default" in spec else ""


def _rows(path, spec, defs, expanded):
    """(key, type, default, description) of `spec` at dotted `path` and of everything below it;
    a definition already expanded at another path (`expanded`: name -> path) is referred to."""
    ref = spec.get("$ref")
    seen = ref and expanded.setdefault(ref, path) != path and expanded[ref]
    spec = _resolve(spec, defs)
    rows = [(path, _type(spec), _default(spec), spec.get("description", ""))] if path else []
    if seen:
        return [(*rows[0][:3], f"{rows[0][3]} Its keys are those of `{seen}`.")]
    if names := spec.get("propertyNames", {}).get("enum"):
        rows[-1:] = [(*rows[-1][:3], rows[-1][3] + " Ids: " + ", ".join(names) + ".")]
    for name, child in spec.get("properties", {}).items():
        rows += _rows(f"{path}.{name}" if path else name, child, defs, expanded)
    extra = spec.get("additionalProperties")
    if isinstance(extra, dict) and ("$ref" in extra or "properties" in extra):
        placeholder = "<id>" if "propertyNames" in spec else "<name>"
        rows += _rows(f"{path}.{placeholder}", extra, defs, expanded)
    return rows


def config_reference(schema):
    """Markdown: one table per top-level key of the config schema (a dict, as loaded from
    YAML), a row per key with its type and bounds, its default and its description."""
    defs = schema.get("$defs", {})
    lines = [
        "# Configuration reference",
        "",
        "Generated from `workflow/schemas/config.schema.yaml` at every docs build; the",
        "workflow validates `config.yaml` against the same schema before any job.",
        "`<name>` stands for a name you choose (an experiment, a sweep), `<id>` for one of a",
        "fixed set.",
    ]
    for name, spec in schema["properties"].items():
        spec = _resolve(spec, defs)
        lines += ["", f"## `{name}`", "", _cell(spec.get("description", "")), ""]
        lines += ["| key | type | default | description |", "|---|---|---|---|"]
        for key, kind, default, description in _rows(name, spec, defs, {})[1:] or [
            (name, _type(spec), _default(spec), "")
        ]:
            lines.append(f"| `{key}` | {_cell(kind)} | {default} | {_cell(description)} |")
    return "\n".join(lines) + "\n"
