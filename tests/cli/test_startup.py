"""Start-up: `journal --version`, `--help` and a command's help load only what they need.

Every command module is imported lazily (journal.cli.COMMANDS), so these tests check both
sides: that the light paths stay light (in a fresh interpreter, by its sys.modules), and
that the static table still describes the real commands. No timings: speed is `make bench`.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import journal
import journal.cli
from journal.cli import COMMANDS, cli
from journal.cli.runtime import Runtime
from journal.core.errors import VaultNotFound

ROOT = Path(__file__).resolve().parents[2]

#: Never needed to print the version, the help, or a command's help.
HEAVY = ("textual", "markdown_it", "sqlite_utils", "dateutil", "journal.core.exchange.importers",
         "journal.core.exchange.exporters", "journal.ui")
#: Not needed before a command runs at all.
NOT_BEFORE_A_COMMAND = ("journal.core.store.vault", "journal.core.store.crypto", "cryptography",
                        "importlib.metadata", "platformdirs", "tomlkit", "journal.core.model.query")

PROBE = """
import runpy, sys
sys.argv = ["journal", *{args!r}]
try:
    runpy.run_module("journal", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code
else:
    code = 0
sys.stderr.write("\\nEXIT %s\\nMODULES %s\\n" % (code, " ".join(sorted(sys.modules))))
"""


def run_journal(*args: str) -> tuple[str, set[str]]:
    """`python -m journal ARGS` in a fresh interpreter: its stdout and the modules it loaded."""
    proc = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args))],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    tail = proc.stderr.rsplit("\nEXIT ", 1)
    assert len(tail) == 2, proc.stderr
    code, modules = tail[1].split("\nMODULES ", 1)
    assert code.strip() in ("0", "None"), proc.stderr
    return proc.stdout, set(modules.split())


def loaded(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules
                  if any(m == p or m.startswith(p + ".") for p in prefixes))


def command_modules(modules: set[str]) -> list[str]:
    return sorted({f"journal.cli.{module}" for module, _, _ in COMMANDS.values()} & modules)


def test_version_prints_the_package_version_without_loading_any_command():
    out, modules = run_journal("--version")
    assert out.strip() == f"journal, version {journal.__version__}"
    assert "journal.cli" in modules  # the probe really ran the CLI
    assert loaded(modules, HEAVY + NOT_BEFORE_A_COMMAND) == []
    assert command_modules(modules) == []


def test_help_lists_every_command_without_loading_any():
    out, modules = run_journal("--help")
    for name in COMMANDS:
        assert f"  {name} " in out, name
    assert "Quick capture" in out
    assert loaded(modules, HEAVY + NOT_BEFORE_A_COMMAND) == []
    assert command_modules(modules) == []


@pytest.mark.parametrize("command, module, words", [
    ("add", "journal.cli.entry_cmds", "Quick capture"),
    ("search", "journal.cli.entry_cmds", "--kind [contagion|concern]"),
])
def test_a_commands_help_loads_only_its_own_module(command: str, module: str, words: str):
    out, modules = run_journal(command, "--help")
    assert words in out
    assert module in modules  # the command really was resolved
    assert loaded(modules, HEAVY + NOT_BEFORE_A_COMMAND) == []
    assert command_modules(modules) == [module]


def test_version_is_the_one_in_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert journal.__version__ == project["version"]
    result = CliRunner().invoke(cli, ["--version"], obj=Runtime())
    assert result.exit_code == 0
    assert result.output == f"journal, version {project['version']}\n"


def _real_commands() -> dict[str, tuple[str, str, click.Command]]:
    """Every click command defined at the top level of a journal.cli module."""
    found: dict[str, tuple[str, str, click.Command]] = {}
    for info in pkgutil.iter_modules(journal.cli.__path__):
        module = importlib.import_module(f"journal.cli.{info.name}")
        # a group's subcommands (`sync init`) are reached through the group
        nested = {id(sub) for value in vars(module).values() if isinstance(value, click.Group)
                  for sub in value.commands.values()}
        for attribute, value in vars(module).items():
            # defined here, not imported from a sibling module
            if isinstance(value, click.Command) and value is not cli and id(value) not in nested \
                    and getattr(value.callback, "__module__", None) == module.__name__:
                assert value.name not in found, f"two commands named {value.name}"
                found[value.name] = (info.name, attribute, value)
    return found


def test_the_table_names_every_real_command_and_its_module():
    real = _real_commands()
    assert sorted(real) == sorted(COMMANDS)
    for name, (module, attribute, _) in COMMANDS.items():
        assert (real[name][0], real[name][1]) == (module, attribute), name
        ctx = click.Context(cli, obj=Runtime())
        assert cli.get_command(ctx, name) is real[name][2]


@pytest.mark.parametrize("limit", [12, 30, 45, 58, 72, 200])
def test_the_tables_summaries_shorten_like_the_real_help(limit: int):
    for name, (_, _, command) in _real_commands().items():
        stand_in = click.Command(name, help=COMMANDS[name][2])
        assert not command.hidden and not command.deprecated, name
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), name


def test_help_from_the_table_is_the_help_from_the_loaded_commands():
    """One fresh interpreter: `--help` from the table, then with every command loaded."""
    code = """
import click
from journal.cli import COMMANDS, cli
ctx = click.Context(cli, info_name="journal")
lazy = cli.get_help(ctx)
assert not cli.commands, sorted(cli.commands)
for name in COMMANDS:
    cli.get_command(ctx, name)
print(lazy == cli.get_help(ctx))
print(lazy)
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**os.environ, "COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    same, help_text = proc.stdout.split("\n", 1)
    assert same == "True", help_text
    assert "rotate-keys" in help_text


def test_unknown_command_is_a_one_line_usage_error():
    result = CliRunner().invoke(cli, ["frobnicate"], obj=Runtime())
    assert result.exit_code == 2
    assert "No such command 'frobnicate'" in result.output
    assert "Traceback" not in result.output


def _runtime(tmp_path: Path) -> Runtime:
    return Runtime(env={"JOURNAL_VAULT": str(tmp_path / "none"),
                        "JOURNAL_CONFIG_DIR": str(tmp_path / "config")})


def test_errors_in_a_lazily_loaded_command_stay_one_line(tmp_path: Path):
    result = CliRunner().invoke(cli, ["list"], obj=_runtime(tmp_path))
    assert result.exit_code != 0 and not isinstance(result.exception, VaultNotFound)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("journal: error: "), result.stderr


def test_debug_still_lets_the_exception_through(tmp_path: Path):
    result = CliRunner().invoke(cli, ["--debug", "list"], obj=_runtime(tmp_path))
    assert isinstance(result.exception, VaultNotFound)


def test_a_command_that_fails_to_load_is_one_line_or_a_traceback_with_debug(monkeypatch):
    monkeypatch.setitem(COMMANDS, "broken", ("no_such_module", "cmd", "Never loads."))
    monkeypatch.delitem(cli.commands, "broken", raising=False)
    result = CliRunner().invoke(cli, ["broken"], obj=Runtime())
    assert result.exit_code == 70
    assert result.stderr.startswith("journal: internal error: ModuleNotFoundError")
    assert len(result.stderr.strip().splitlines()) == 1
    result = CliRunner().invoke(cli, ["--debug", "broken"], obj=Runtime())
    assert isinstance(result.exception, ModuleNotFoundError)


@pytest.mark.parametrize("args", [
    ["frobnicate"], ["--bogus"], ["add", "--bogus"], ["list", "-n", "abc"],
    ["sync", "rename"], ["export", "--format", "nope"], ["Went", "for", "a", "walk"],
])
def test_every_usage_error_is_one_line_naming_its_help(tmp_path, args):
    """Bad input gets one line and status 2 (click printed the usage, a hint, a blank line
    and the error: four lines)."""
    result = CliRunner().invoke(cli, args, obj=_runtime(tmp_path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("journal: error: "), result.stderr
    assert lines[0].endswith(" --help')") and "Usage:" not in result.output
    assert "(see 'journal " in lines[0]  # the program's name, not the runner's
