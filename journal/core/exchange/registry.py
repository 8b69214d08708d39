"""Lookup shared by the import and export format registries (journal.core.exchange.importers and
journal.core.exchange.exporters): a format name -> its module, imported only when asked for."""

from __future__ import annotations

import importlib
from types import ModuleType

from journal.core.errors import ValidationError


def load_format(package: str, modules: dict[str, str], formats: tuple[str, ...], fmt: str,
                direction: str) -> ModuleType:
    """The module `<package>.<modules[fmt]>`; ValidationError if `fmt` is unknown (naming
    `direction`, "import" or "export", and the known `formats`) or its module is missing."""
    if fmt not in modules:
        raise ValidationError(
            f"unknown {direction} format '{fmt}' (known: {', '.join(formats)})")
    name = f"{package}.{modules[fmt]}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        raise ValidationError(f"format {fmt} is not available in this installation") from None
