"""Where things live on disk. Pure functions: nothing is created until `ensure_dir`.

platformdirs is imported only when an environment override does not already say where."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "journal"


@dataclass(frozen=True)
class Paths:
    vault: Path
    config_dir: Path
    #: The user's state directory (platformdirs); None: `state` inside the config dir.
    state_dir: Path | None = None

    @property
    def state(self) -> Path:
        """What the program remembers on this computer that is no setting (no content)."""
        return self.state_dir or self.config_dir / "state"

    @property
    def seen_saves_file(self) -> Path:
        """The highest save counter seen per vault id (the rollback warning)."""
        return self.state / "seen-saves.json"

    @property
    def failed_unlocks_file(self) -> Path:
        """Wrong passphrases in a row per vault id (the growing wait between tries)."""
        return self.state / "failed-unlocks.json"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def user_themes(self) -> Path:
        return self.config_dir / "themes"

    @property
    def tips_file(self) -> Path:
        """Names of the one-time tips already shown (no journal content): state, not a
        setting, so it lives with the state, not in the config folder."""
        return self.state / "tips-shown"


def resolve(vault: str | os.PathLike[str] | None = None,
            env: Mapping[str, str] | None = None) -> Paths:
    """`--vault` beats `JOURNAL_VAULT` beats the platform's user data dir. The state
    directory is `JOURNAL_STATE_DIR`, else beside `JOURNAL_CONFIG_DIR` when that is set,
    else the platform's user state dir."""
    env = os.environ if env is None else env
    if vault is not None:
        vault_dir = Path(vault)
    elif env.get("JOURNAL_VAULT"):
        vault_dir = Path(env["JOURNAL_VAULT"])
    else:
        import platformdirs

        vault_dir = platformdirs.user_data_path(APP_NAME, appauthor=False) / "vault"
    if env.get("JOURNAL_CONFIG_DIR"):
        config = Path(env["JOURNAL_CONFIG_DIR"])
    else:
        import platformdirs

        config = platformdirs.user_config_path(APP_NAME, appauthor=False)
    state: Path | None = None
    if env.get("JOURNAL_STATE_DIR"):
        state = Path(env["JOURNAL_STATE_DIR"]).expanduser()
    elif not env.get("JOURNAL_CONFIG_DIR"):
        import platformdirs

        state = platformdirs.user_state_path(APP_NAME, appauthor=False)
    return Paths(vault=vault_dir.expanduser(), config_dir=config.expanduser(), state_dir=state)


def ensure_dir(path: Path) -> Path:
    """Create `path` and its missing parents, each 0700 whatever the umask."""
    from journal.core.store.private_dirs import make_private_dirs

    return make_private_dirs(path)
