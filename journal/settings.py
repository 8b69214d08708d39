"""User settings: a small plaintext TOML file in the config dir. It holds no journal content.

The TOML libraries are imported by `load`/`save`, not with this module."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING

from journal.core.errors import ValidationError

if TYPE_CHECKING:
    from pathlib import Path

DEFAULT_THEME = "journal-dusk"


@dataclass(frozen=True)
class Settings:
    autolock_minutes: int = 5
    """Lock after this many idle minutes; 0 never locks."""
    guided_prompts: bool = False
    """Show the end-of-day prompts beside the editor."""
    theme: str = DEFAULT_THEME
    """Name of the theme (built-in, or a file in the config dir's themes/)."""
    work_end: str = "18:00"
    """When the working day ends; later moments count as off-work for spillover."""
    practice_offer: bool = True
    """Offer a short practice after saving a heavy contagion moment (issue 17)."""
    practice_offer_from: int = 7
    """The contagion intensity (0-10) from which the practice is offered."""

    def validated(self) -> Settings:
        if not isinstance(self.autolock_minutes, int) or not 0 <= self.autolock_minutes <= 1440:
            raise ValidationError("must be 0-1440", field="autolock_minutes")
        if not isinstance(self.guided_prompts, bool):
            raise ValidationError("must be true or false", field="guided_prompts")
        if not isinstance(self.theme, str) or not self.theme:
            raise ValidationError("must be a theme name", field="theme")
        if not isinstance(self.work_end, str) or not re.match(r"^([01]\d|2[0-3]):[0-5]\d$",
                                                              self.work_end):
            raise ValidationError("must be HH:MM", field="work_end")
        if not isinstance(self.practice_offer, bool):
            raise ValidationError("must be true or false", field="practice_offer")
        if (isinstance(self.practice_offer_from, bool)
                or not isinstance(self.practice_offer_from, int)
                or not 0 <= self.practice_offer_from <= 10):
            raise ValidationError("must be 0-10", field="practice_offer_from")
        return self


def load(path: Path) -> Settings:
    """Missing file: defaults. Unknown keys are ignored; a bad value is a ValidationError."""
    import tomllib

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{path} is not valid TOML ({exc})") from None
    known = {f.name for f in fields(Settings)}
    try:
        return Settings(**{k: v for k, v in raw.items() if k in known}).validated()
    except ValidationError as exc:
        raise ValidationError(f"{path}: {exc}") from None


def save(path: Path, settings: Settings) -> None:
    """Write atomically and owner-only (0600, whatever the umask; new parent directories
    0700), keeping any comments the user added to the file. A crash leaves the old file
    or the new one, never half of one, and no temp file readable by others."""
    import tempfile

    import tomlkit

    from journal.core.store.private_dirs import make_private_dirs

    settings.validated()
    try:
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, Exception):
        doc = tomlkit.document()
    for key, value in asdict(settings).items():
        doc[key] = value
    make_private_dirs(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".tmp")  # 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(tomlkit.dumps(doc))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def update(path: Path, **changes: object) -> Settings:
    new = replace(load(path), **changes).validated()  # type: ignore[arg-type]
    save(path, new)
    return new
