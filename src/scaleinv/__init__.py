"""scaleinv: do neural networks' internal codes have power-law frequency distributions?"""

__version__ = "0.1.0"
