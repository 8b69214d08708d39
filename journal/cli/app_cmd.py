"""`journal app` (and `journal` with no command): open the Textual app on the vault."""

from __future__ import annotations

import sys

import click

from journal import settings as settings_mod
from journal.cli.runtime import Runtime
from journal.core.errors import ValidationError


def run_app(runtime: Runtime, *, theme: str | None = None,
            passphrase_hint: str | None = None) -> None:
    """Build the app from the runtime (paths, clock, KDF policy) and run it."""
    from journal.ui.app import make_app  # Textual is imported only when the app runs

    paths = runtime.paths
    warnings: list[str] = []
    try:
        settings = settings_mod.load(paths.settings_file)
    except ValidationError as exc:
        settings = settings_mod.Settings()
        warnings.append(f"Settings file ignored, using defaults: {exc}")
    app = make_app(paths=paths, settings=settings, clock=runtime.clock, kdf=runtime.kdf,
                   allow_weak=runtime.allow_weak, theme=theme,
                   passphrase_hint=passphrase_hint)
    app.startup_messages.extend(warnings)
    app.run()


def has_terminal() -> bool:
    """May the app run here: are standard input and output both a terminal? Without one
    it drew escape sequences into a pipe or file and waited for keys forever (cron,
    `journal > out.txt`, `journal | less`)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@click.command("app")
@click.option("--passphrase-hint", "passphrase_hint", default=None, hidden=True,
              help="Text shown on the unlock screen (the demo's passphrase).")
@click.pass_context
def app_command(ctx: click.Context, passphrase_hint: str | None) -> None:
    """Open the journal app (the default when no command is given)."""
    runtime = ctx.ensure_object(Runtime)
    if not has_terminal():
        raise ValidationError("the app needs a terminal: it reads keys from standard input "
                              "and draws on standard output; in a script or a pipe use a "
                              "command ('journal --help' lists them)")
    run_app(runtime, theme=ctx.meta.get("theme"), passphrase_hint=passphrase_hint)
