"""The `journal` command line (click).

Commands live in sibling modules, one per area, and each module is imported only when one
of its commands runs or shows its own help: COMMANDS names every command, its module and
its one-line summary, so `journal --help` and `journal --version` load none of them (and
none of the vault, crypto, Markdown, import or Textual code behind them). A test checks
that COMMANDS matches the real commands, so the table cannot drift.
"""

from __future__ import annotations

import importlib
import sys
from typing import NoReturn

import click

import journal
from journal.cli.output import say
from journal.cli.runtime import Runtime
from journal.core.errors import JournalError
from journal.core.textsafe import one_line, terminal_safe

#: command name -> (module under journal.cli, attribute, summary). The summary is the
#: command's own short help (the first sentence of its docstring), shown by `journal --help`
#: without importing the module; tests/cli/test_startup.py keeps it in step.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "add": ("entry_cmds", "add", "Quick capture: add text and moments to a day's entry."),
    "app": ("app_cmd", "app_command",
            "Open the journal app (the default when no command is given)."),
    "backup": ("backup_cmds", "backup_cmd", "Copy the vault, still encrypted, to the new FILE."),
    "captures": ("capture_cmds", "captures_cmd",
                 "Review the quick captures merged into your entries: keep or discard one."),
    "check": ("vault_cmds", "check",
              "Authenticate every entry, the integrity manifest, the index and pending captures."),
    "delete": ("entry_cmds", "delete", "Delete one entry for good."),
    "demo": ("demo_cmd", "demo", "Try the journal on a throwaway vault of generated entries."),
    "export": ("exchange_cmds", "export_cmd",
               "Export entries as plaintext JSON, Markdown, jrnl or Day One."),
    "import": ("exchange_cmds", "import_cmd",
               "Import entries (JSON export, jrnl, Day One, Markdown)."),
    "init": ("vault_cmds", "init", "Create a new, empty, encrypted vault."),
    "list": ("entry_cmds", "list_entries",
             "List entries, newest first: date, moments, first line."),
    "passwd": ("vault_cmds", "passwd", "Change the vault passphrase."),
    "practice": ("practice_cmd", "practice_command",
                 "A short practice toward concern, as plain prompts; every step can be "
                 "skipped."),
    "reflect": ("reflect_cmd", "reflect_command",
                "Patterns in your own entries: the contagion/concern balance, work following "
                "you home, recurring tags, sleep after heavy days, what seems to help, and "
                "stretches without recovery."),
    "restore": ("backup_cmds", "restore_cmd",
                "Bring back a backup made with 'journal backup' as the vault in a new "
                "directory."),
    "rotate-keys": ("vault_cmds", "rotate_keys", "Re-encrypt every entry under a new data key."),
    "search": ("entry_cmds", "search_cmd",
               "Search entries (in memory, after unlocking); newest first."),
    "show": ("entry_cmds", "show", "Show one entry: its text, moments and check-in."),
    "support": ("support_cmd", "support_command",
                "Crisis lines and support resources (the same text as the app's support "
                "screen)."),
    "sync": ("sync_cmds", "sync", "Exchange changes with the sync folder now."),
    "tags": ("entry_cmds", "tags_cmd",
             "List #tags and @people, with how many entries carry each."),
    "themes": ("themes_cmd", "themes_cmd",
               "List the themes: the built-ins, then yours, with the configured one marked *."),
}

EXIT_INTERNAL = 70


class JournalGroup(click.Group):
    """Loads each command's module on first use (click's lazy-subcommand pattern), and turns
    every JournalError into one line on stderr and a non-zero exit code; a traceback only
    with --debug."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in COMMANDS:
            module_name, attribute, _summary = COMMANDS[cmd_name]
            module = importlib.import_module(f"journal.cli.{module_name}")
            command = getattr(module, attribute)
            self.add_command(command, cmd_name)
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple:
        """jrnl's habit, `journal Went for a walk`, says how to write it down here."""
        name = args[0] if args else ""
        looks_like_text = " " in name.strip() or (
            len(args) > 1 and not any(arg.startswith("-") for arg in args))
        if name and looks_like_text and self.get_command(ctx, name) is None:
            import shlex

            ctx.fail(f"No such command {name!r}. To write this in today's entry: "
                     f"journal add {shlex.join(args)}")
        if (name and not name.startswith("-") and not ctx.resilient_parsing
                and self.get_command(ctx, name) is None):
            # click suggests only among the commands already loaded (lazily, here)
            from difflib import get_close_matches

            near = get_close_matches(name, self.list_commands(ctx))
            ctx.fail(f"No such command {name!r}." + (
                f" Did you mean {' or '.join(map(repr, near))}?" if near else ""))
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from COMMANDS' summaries, through click's own formatting (a
        stand-in command per summary), so `--help` imports no command module."""
        listed = {name: self.commands.get(name) or click.Command(name, help=COMMANDS[name][2])
                  for name in self.list_commands(ctx)}
        shown = [(name, cmd) for name, cmd in listed.items() if not cmd.hidden]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in shown)
        with formatter.section("Commands"):
            formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in shown])

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:  # `journal --bogus`: the group's own options
            usage_in_one_line(exc)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:  # a command's arguments, or no such command
            usage_in_one_line(exc)
        except JournalError as exc:
            if _debug(ctx):
                raise
            say(f"journal: error: {one_line(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except click.ClickException as exc:
            # click prints it itself; a bad value quoted in it is the user's, escape it too
            exc.message = terminal_safe(exc.message)
            raise
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            say("journal: interrupted; nothing half-written was kept", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            raise  # the reader went away (`journal list | head -1`): click ends quietly, 1
        except Exception as exc:  # the promise: no traceback without --debug
            if _debug(ctx):
                raise
            say(f"journal: internal error: {type(exc).__name__}: {one_line(str(exc))} "
                "(run with --debug for details)", err=True)
            ctx.exit(EXIT_INTERNAL)


def usage_in_one_line(exc: click.UsageError) -> NoReturn:
    """click's usage error as one line, the promise for bad input (click itself prints the
    usage, a hint and the error on four lines): the error and where its help is. A bare
    group that shows its help (NoArgsIsHelpError) is left to click."""
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        raise exc
    below = exc.ctx.command_path.split(" ", 1)[1:] if exc.ctx is not None else []
    where = " ".join(["journal", *below])  # the program's name, however it was started
    said = terminal_safe(one_line(exc.format_message())).rstrip(".")
    say(f"journal: error: {said} (see '{where} --help')", err=True)
    raise click.exceptions.Exit(exc.exit_code)


def _debug(ctx: click.Context) -> bool:
    """--debug counts even before the group's callback ran (a command that fails to load)."""
    runtime = ctx.find_object(Runtime)
    return bool((runtime and runtime.debug) or ctx.params.get("debug"))


def _vault_dir(_ctx: click.Context, _param: click.Parameter, value: str | None) -> object:
    """--vault as a Path (pathlib is imported only when the option is given). An empty
    one (`--vault "$UNSET"`) is refused: it meant the current directory."""
    if value is None:
        return None
    if not value:
        raise click.BadParameter("an empty path; name the vault's directory")
    from pathlib import Path

    return Path(value)


@click.group(cls=JournalGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--vault", "vault", type=click.Path(), envvar=None, callback=_vault_dir,
              help="The vault directory (default: $JOURNAL_VAULT, else your user data dir).")
@click.option("--debug", is_flag=True, help="Show Python tracebacks on errors.")
@click.option("--theme", default=None, help="Use this theme for this run only.")
@click.version_option(version=journal.__version__, prog_name="journal")
@click.pass_context
def cli(ctx: click.Context, vault: object, debug: bool, theme: str | None) -> None:
    """An encrypted end-of-day journal. With no command, opens the app.

    \b
    Example:
      journal init            create a vault (asks for a passphrase)
      journal                 open the app
    """
    runtime = ctx.ensure_object(Runtime)
    runtime.debug = runtime.debug or debug
    if vault is not None:
        runtime.vault_override = vault  # type: ignore[assignment] - a Path, from _vault_dir
    ctx.meta["theme"] = theme
    if ctx.invoked_subcommand is None:
        app_cmd = cli.get_command(ctx, "app")
        if app_cmd is None:
            say(ctx.get_help())
            return
        ctx.invoke(app_cmd)


def main(args: list[str] | None = None, obj: Runtime | None = None) -> None:
    """Console entry point; tests pass `obj` to inject a Runtime."""
    try:
        cli.main(args=args, obj=obj if obj is not None else Runtime(), prog_name="journal",
                 standalone_mode=True)
    except KeyboardInterrupt:
        say("journal: interrupted", err=True)
        sys.exit(130)
