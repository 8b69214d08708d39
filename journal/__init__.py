"""journal: an offline-first, encrypted, end-of-day journal in the terminal.

Importing this package does no work: no files are opened, no directories made.
"""

#: `journal --version` prints this (no importlib.metadata at start-up); it must equal
#: pyproject.toml's version, which tests/cli/test_startup.py checks.
__version__ = "0.1.0"
