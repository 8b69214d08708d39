"""Fixtures for the CLI tests; the harness itself lives in cli_harness.py."""

from cli_harness import initialised, journal  # noqa: F401 - pytest fixtures
