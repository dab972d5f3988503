"""scaleinv: do neural networks' internal codes have power-law frequency distributions?"""

__version__ = "0.3.0"  # the one place; pyproject.toml reads it
