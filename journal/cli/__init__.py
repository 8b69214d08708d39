"""The `journal` command line (click). Commands live in sibling modules, one per area,
and register themselves on the `cli` group through COMMAND_MODULES."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from journal.cli.runtime import Runtime
from journal.core.errors import JournalError
from journal.core.textsafe import one_line

#: One module per area; each defines `register(group)`.
COMMAND_MODULES: list[str] = [
    "reflect_cmd",
    "vault_cmds",
    "entry_cmds",
    "exchange_cmds",
    "demo_cmd",
    "backup_cmds",
    "themes_cmd",
    "app_cmd",
]

EXIT_INTERNAL = 70


class JournalGroup(click.Group):
    """Turns every JournalError into one line on stderr and a non-zero exit code;
    a traceback only with --debug."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except JournalError as exc:
            if _debug(ctx):
                raise
            click.echo(f"journal: error: {one_line(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("journal: interrupted; nothing half-written was kept", err=True)
            ctx.exit(130)
        except Exception as exc:  # the promise: no traceback without --debug
            if _debug(ctx):
                raise
            click.echo(f"journal: internal error: {type(exc).__name__}: {one_line(str(exc))} "
                       "(run with --debug for details)", err=True)
            ctx.exit(EXIT_INTERNAL)


def _debug(ctx: click.Context) -> bool:
    runtime = ctx.find_object(Runtime)
    return bool(runtime and runtime.debug)


@click.group(cls=JournalGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--vault", "vault", type=click.Path(path_type=Path), envvar=None,
              help="The vault directory (default: $JOURNAL_VAULT, else your user data dir).")
@click.option("--debug", is_flag=True, help="Show Python tracebacks on errors.")
@click.option("--theme", default=None, help="Use this theme for this run only.")
@click.version_option(package_name="journal-tui", prog_name="journal")
@click.pass_context
def cli(ctx: click.Context, vault: Path | None, debug: bool, theme: str | None) -> None:
    """An encrypted end-of-day journal. With no command, opens the app.

    \b
    Example:
      journal init            create a vault (asks for a passphrase)
      journal                 open the app
    """
    runtime = ctx.ensure_object(Runtime)
    runtime.debug = runtime.debug or debug
    if vault is not None:
        runtime.vault_override = vault
    ctx.meta["theme"] = theme
    if ctx.invoked_subcommand is None:
        app_cmd = cli.get_command(ctx, "app")
        if app_cmd is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(app_cmd)


for _name in COMMAND_MODULES:
    importlib.import_module(f"journal.cli.{_name}").register(cli)


def main(args: list[str] | None = None, obj: Runtime | None = None) -> None:
    """Console entry point; tests pass `obj` to inject a Runtime."""
    try:
        cli.main(args=args, obj=obj if obj is not None else Runtime(), prog_name="journal",
                 standalone_mode=True)
    except KeyboardInterrupt:
        sys.stderr.write("journal: interrupted\n")
        sys.exit(130)
