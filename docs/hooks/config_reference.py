"""MkDocs hook: the configuration reference page, rendered from the config schema at every
build (scaleinv.plan.reference), so keys other branches add are documented without an edit."""

from pathlib import Path

import yaml
from mkdocs.structure.files import File

from scaleinv.plan.reference import config_reference

SCHEMA = Path(__file__).parents[2] / "workflow/schemas/config.schema.yaml"


def on_files(files, config):
    schema = yaml.safe_load(SCHEMA.read_text())
    files.append(File.generated(config, "config-reference.md", content=config_reference(schema)))
    return files
