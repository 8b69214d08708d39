"""The whole-process commands measured, ours and jrnl's, as argument lists.

Our CLI is probed once per run (`available()`), so commands that have not landed yet show as
"n/a (not yet implemented)" instead of failing, and are measured as soon as they exist.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

from bench.vaults import Built

Args = Callable[[Built, dict, int], list[str]]


@dataclass(frozen=True)
class Command:
    key: str
    label: str
    needs: str  # the CLI command that must exist ("" for none)
    args: Args
    writes: bool = False


def _show(b: Built, terms: dict, i: int) -> list[str]:
    return ["show", b.meta["last_date"]]


def _list(b: Built, terms: dict, i: int) -> list[str]:
    return ["list", "-n", "20"]


def _search_text(b: Built, terms: dict, i: int) -> list[str]:
    return ["search", terms["word"]]


def _search_tag(b: Built, terms: dict, i: int) -> list[str]:
    return ["search", "-n", "10", f"#{terms['tag']}"]


def _reflect(b: Built, terms: dict, i: int) -> list[str]:
    return ["reflect"]


def _add(b: Built, terms: dict, i: int) -> list[str]:
    day = terms["add_dates"][i + 1]
    return ["add", "--date", day, "Added by the bench: a short note about #triage with @sam."]


OURS = [
    Command("startup", "start-up only (`journal --version`)", "", lambda b, t, i: ["--version"]),
    Command("show", "show one entry (unlock + 1 row)", "show", _show),
    Command("list", "list a screenful (`list -n 20`)", "list", _list),
    Command("search_text", "text search, all matches (`search WORD`)", "search",
            _search_text),
    Command("search_tag", "tag filter (`search -n 10 #tag`)", "search", _search_tag),
    Command("reflect", "reflect", "reflect", _reflect),
    Command("add", "add one entry", "add", _add, writes=True),
]


def jrnl_rows() -> list[Command]:
    return [
        Command("jrnl_tag", "jrnl -n 10 #tag", "", lambda b, t, i: ["-n", "10", f"#{t['tag']}"]),
        Command("jrnl_contains", "jrnl -contains WORD --short", "",
                lambda b, t, i: ["-contains", t["word"], "--short"]),
        Command("jrnl_add", "jrnl add one entry", "",
                lambda b, t, i: [f"{t['add_dates'][i + 1]} 21:30: Added by the bench: a short "
                                 "note about #triage with @sam."], writes=True),
    ]


#: ours -> jrnl's equivalent, for the ratio column
PAIRS = {"search_tag": "jrnl_tag", "search_text": "jrnl_contains", "add": "jrnl_add"}


def available() -> dict[str, str]:
    """The CLI's commands and their --help text (empty dict if the CLI cannot load)."""
    code = ("import json; from journal.cli import cli;"
            "print(json.dumps(sorted(cli.list_commands(None))))")
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120,
                             check=True).stdout
        names = json.loads(out.decode().strip().splitlines()[-1])
    except (subprocess.SubprocessError, ValueError, IndexError):
        return {}
    return {name: "" for name in names}


def app_available() -> bool:
    code = "from journal.ui.app import make_app"
    return subprocess.run([sys.executable, "-c", code], capture_output=True,
                          timeout=120).returncode == 0
