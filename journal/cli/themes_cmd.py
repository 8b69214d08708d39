"""`journal themes`: the built-in and user themes, one line each, the configured one marked."""

from __future__ import annotations

import click

from journal import settings as settings_mod
from journal.cli.output import say
from journal.cli.runtime import Runtime
from journal.core.errors import ValidationError

pass_runtime = click.make_pass_decorator(Runtime, ensure=True)


@click.command("themes")
@pass_runtime
@click.pass_context
def themes_cmd(ctx: click.Context, runtime: Runtime) -> None:
    """List the themes: the built-ins, then yours, with the configured one marked *.

    Your own themes are TOML files in the `themes` folder of the config dir (shown below);
    docs/themes.md explains the format. A broken file is reported on stderr, naming the
    file and the field, and left out.

    \b
    Examples:
      journal themes
      journal --theme journal-paper     open the app with a theme for this run only
    """
    from journal.ui import themes as themes_mod  # Textual loads only for this command

    paths = runtime.paths
    try:
        configured = settings_mod.load(paths.settings_file).theme
    except ValidationError as exc:
        say(f"journal: warning: {exc}; showing the default theme", err=True)
        configured = themes_mod.DEFAULT_THEME
    run_theme = ctx.meta.get("theme")
    infos, errors = themes_mod.load_theme_infos(paths.user_themes)
    names = {info.name for info in infos}
    width = max((len(info.name) for info in infos), default=0)
    described = max((len(info.description or "-") for info in infos), default=0)
    for info in infos:
        mark = "*" if info.name == configured else " "
        where = "built-in" if info.builtin else str(info.source)
        say(f"{mark} {info.name:<{width}}  {info.description or '-':<{described}}  "
            f"{where}")
    say("")
    if configured in names:
        say(f"* configured (in {paths.settings_file}); change it in the app's "
            "settings or the command palette")
    else:
        say(f"The configured theme {configured!r} is not available; the app uses "
            f"{themes_mod.DEFAULT_THEME!r} instead.")
    if run_theme:
        state = "available" if run_theme in names else "not available; the default is used"
        say(f"--theme {run_theme} for this run: {state}")
    say(f"Your themes go in: {paths.user_themes}/  (see docs/themes.md)")
    for error in errors:
        say(f"journal: theme skipped: {error}", err=True)
