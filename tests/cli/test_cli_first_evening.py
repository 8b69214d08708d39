"""Issue 14 (a new user's first evening) and issue 13 item 6, at the command line: piped
text with -m, writing in $EDITOR on a private in-memory file, the one-time tip for text on
the command line, `show` with no argument, `tags`, and natural dates."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from cli_harness import PASSPHRASE, Journal

from journal.core.store.vault import Vault


def entry_of(j: Journal, day: str):
    with Vault.open(j.vault_dir, PASSPHRASE, allow_weak=True) as vault:
        from datetime import date

        return vault.get_by_date(date.fromisoformat(day))


def test_piped_text_and_a_moment_both_land(initialised: Journal):
    """Item 4: `echo "Quiet evening #rest" | journal add -m '...'` kept only the moment."""
    initialised("add", "-m", "concern 3 work #triage", input="Quiet evening #rest\n")
    entry = entry_of(initialised, "2026-11-25")
    assert entry.body == "Quiet evening #rest\n"
    assert [(m.kind, m.intensity, m.tags) for m in entry.moments] == [("concern", 3,
                                                                        ["triage"])]


def fake_editor(tmp_path: Path, text: str, status: int = 0) -> tuple[Path, Path]:
    """An editor that records where it was asked to edit and how that file was kept, then
    writes `text` into it (and a swap file beside it, as vim would)."""
    log = tmp_path / "editor-log.json"
    script = tmp_path / "fake-editor"
    script.write_text(f"""#!{sys.executable}
import json, os, stat, sys
path = sys.argv[-1]
seen = {{"path": path, "mode": stat.S_IMODE(os.stat(path).st_mode),
        "dir_mode": stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode),
        "before": open(path).read(), "args": sys.argv[1:]}}
open(os.path.join(os.path.dirname(path), ".entry.md.swp"), "w").write("swap")
open(path, "w").write({text!r})
json.dump(seen, open({str(log)!r}, "w"))
sys.exit({status})
""")
    script.chmod(0o700)
    return script, log


def test_add_with_nothing_opens_the_editor_on_a_private_memory_file(initialised: Journal,
                                                                    tmp_path: Path):
    """Issue 13 item 6: `journal add` alone opens $EDITOR; the file is 0600 in a private
    directory on /dev/shm (when present) and is gone, with the editor's swap file, at once."""
    script, log = fake_editor(tmp_path, "Wrote this in my editor. #handover\n")
    initialised.interactive = True
    initialised.env_extra["EDITOR"] = f"{script} --wait"
    initialised("add")
    seen = json.loads(log.read_text())
    edited = Path(seen["path"])
    assert seen["args"][0] == "--wait"  # $EDITOR is split as a shell would
    assert seen["mode"] == 0o600 and seen["dir_mode"] == 0o700
    if os.path.isdir("/dev/shm"):
        assert edited.parent.parent == Path("/dev/shm")
    assert not edited.exists() and not edited.parent.exists()
    assert entry_of(initialised, "2026-11-25").body == "Wrote this in my editor. #handover\n"


def test_visual_beats_editor_and_a_failing_editor_saves_nothing(initialised: Journal,
                                                                 tmp_path: Path):
    script, log = fake_editor(tmp_path, "half a thought", status=1)
    initialised.interactive = True
    initialised.env_extra.update(VISUAL=str(script), EDITOR="/nonexistent/editor")
    result = initialised("add", ok=False)
    assert result.exit_code == 1 and log.exists()
    assert result.stderr.strip().splitlines() == [
        "journal: error: the editor fake-editor exited with status 1; nothing was saved"]
    assert not Path(json.loads(log.read_text())["path"]).parent.exists()
    assert entry_of(initialised, "2026-11-25") is None


def test_a_missing_editor_is_one_clear_line(initialised: Journal):
    initialised.interactive = True
    initialised.env_extra["EDITOR"] = "/nonexistent/editor"
    result = initialised("add", ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("journal: error: cannot start the editor")
    assert "Traceback" not in result.output


def test_edit_flag_seeds_the_editor_with_moments_kept(initialised: Journal, tmp_path: Path):
    script, log = fake_editor(tmp_path, "Edited.\n")
    initialised.env_extra["EDITOR"] = str(script)
    initialised("add", "-e", "-m", "c 5 w", "Start")
    assert json.loads(log.read_text())["before"] == "Start"
    entry = entry_of(initialised, "2026-11-25")
    assert entry.body == "Edited.\n" and entry.moments[0].kind == "contagion"


def test_text_as_arguments_prints_a_tip_once(initialised: Journal):
    first = initialised("add", "Long shift.")
    assert "tip: text given as arguments shows in the process list" in first.stderr
    second = initialised("add", "Still long.")
    assert "tip:" not in second.stderr
    tips = initialised.tmp / "config" / "state" / "tips-shown"  # JOURNAL_STATE_DIR unset
    assert tips.read_text() == "argv-text\n"
    assert stat.S_IMODE(tips.stat().st_mode) == 0o600
    assert not list(initialised.vault_dir.glob("tips*"))  # remembered outside the vault
    piped = initialised("add", input="piped\n")
    assert "tip:" not in piped.stderr


@pytest.mark.parametrize("args", [["Went for a walk"], ["Went", "for", "a", "walk"]])
def test_jrnl_habit_of_text_without_add_says_how(initialised: Journal, args):
    """A jrnl user types `journal Went for a walk`: one usage line naming `journal add`."""
    done = initialised(*args, ok=False)
    assert done.exit_code == 2
    assert "To write this in today's entry: journal add " in done.stderr
    assert "Traceback" not in done.output + done.stderr


def test_an_unknown_single_word_is_just_an_unknown_command(initialised: Journal):
    """The nearest command is offered whichever commands ran before in this process
    (click offered only those already loaded, so the line depended on the tests' order)."""
    done = initialised("lsit", ok=False)
    said = "No such command 'lsit'. Did you mean 'list'? (see 'journal --help')"
    assert done.exit_code == 2 and said in done.stderr
    assert "journal add" not in done.stderr


def test_help_recommends_the_private_forms(journal: Journal):
    text = journal("add", "--help").output
    assert "process list" in text and "journal add < notes.md" in text
    assert '-m "' not in text  # examples in single quotes: '!' is safe in bash


def test_show_with_no_argument_shows_today_else_the_newest(initialised: Journal):
    initialised("add", "--date", "2026-11-20", input="Friday's entry\n")
    assert "Friday's entry" in initialised("show").output  # nothing today: the newest
    initialised("add", input="Tonight\n")
    assert "Tonight" in initialised("show").output


def test_show_with_no_entries_says_how_to_start(initialised: Journal):
    result = initialised("show", ok=False)
    assert result.exit_code == 1 and "no entries yet" in result.stderr


@pytest.mark.parametrize(("phrase", "day"), [
    ("yesterday", "2026-11-24"), ("last friday", "2026-11-20"), ("3 days ago", "2026-11-22"),
    ("nov 20", "2026-11-20"), ("wed", "2026-11-25"), ("last wed", "2026-11-18"),
])
def test_natural_dates_wherever_a_date_is_taken(initialised: Journal, phrase: str, day: str):
    """The clock says Wednesday 2026-11-25."""
    initialised("add", "--date", phrase, input=f"written for {phrase}\n")
    assert entry_of(initialised, day).body == f"written for {phrase}\n"
    assert f"written for {phrase}" in initialised("show", phrase).output
    listed = initialised("list", "--from", phrase, "--to", phrase).stdout
    assert listed.startswith(day) and len(listed.splitlines()) == 1
    since = phrase.replace(" ", "-")
    found = initialised("search", f"since:{since}", f"until:{since}").stdout
    assert found.startswith(day)


def test_a_date_that_is_not_one_is_a_clear_error(initialised: Journal):
    result = initialised("list", "--since", "someday", ok=False)
    assert result.exit_code == 2 and "'someday' is not a date" in result.stderr
    assert "last friday" in result.stderr


def test_tags_lists_tags_and_people_with_counts(initialised: Journal):
    initialised("add", "-m", "c 5 w #yelling @sam", input="The #handover ran late. #yelling\n")
    initialised("add", "--date", "yesterday", "-m", "k 3 h #handover", input="ok\n")
    out = initialised("tags").output.splitlines()
    assert out == ["#handover  2", "#yelling   1", "@sam       1"]
    data = json.loads(initialised("tags", "--json").output)
    assert data == {"tags": {"handover": 2, "yelling": 1}, "people": {"sam": 1}}


def test_tags_with_no_entries(initialised: Journal):
    result = initialised("tags")
    assert result.stdout == "" and "No tags yet" in result.stderr


def test_ctrl_c_at_the_passphrase_prompt_ends_the_prompt_line(initialised: Journal):
    """Item 10: "Passphrase: journal: interrupted..." was printed on one line."""
    def interrupted(label: str) -> str:
        sys.stderr.write(f"{label}")  # what getpass shows before the key press
        raise KeyboardInterrupt

    initialised.prompts = interrupted  # type: ignore[assignment]
    result = initialised("list", ok=False)
    assert result.exit_code == 130
    assert result.stderr.splitlines() == ["Passphrase: ",
                                          "journal: interrupted; nothing half-written was kept"]


def test_version_and_shell_completion_for_bash_zsh_fish(tmp_path: Path):
    """jrnl habits: `journal --version`, and click's completion scripts (docs/cli.md)."""
    import subprocess

    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "JOURNAL_CONFIG_DIR": str(tmp_path / "config"), "LANG": "C.UTF-8"}

    def run(*args: str, **extra: str) -> str:
        done = subprocess.run([sys.executable, "-m", "journal", *args], env={**env, **extra},
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    from journal import __version__

    assert run("--version") == f"journal, version {__version__}\n"
    for shell, marker in (("bash", "complete -o nosort -F _journal_completion journal"),
                          ("zsh", "#compdef journal"), ("fish", "complete --no-files")):
        assert marker in run(_JOURNAL_COMPLETE=f"{shell}_source"), shell
    words = run(COMP_WORDS="journal ta", COMP_CWORD="1", _JOURNAL_COMPLETE="bash_complete")
    assert words.split() == ["plain,tags"]


def test_the_apps_letters_work_in_add_and_search(initialised: Journal):
    """Item 6: in the app `c` is contagion; `journal add -m "c 5 w"` said "two places"."""
    initialised("add", "-m", "c 5 w #handover", "-m", "k 3 c", input="")
    moments = entry_of(initialised, "2026-11-25").moments
    assert [(m.kind, m.context) for m in moments] == [("contagion", "work"),
                                                      ("concern", "commute")]
    assert initialised("search", "kind:c", "context:w").stdout.startswith("2026-11-25")
    assert initialised("search", "kind:k", "context:h").stdout == ""


def test_the_editor_opens_only_after_the_vault_is_unlocked(journal: Journal, tmp_path: Path):
    """What is written in the editor is never lost to a missing vault or a wrong
    passphrase typed after it: both are found out before the editor opens."""
    script, log = fake_editor(tmp_path, "A long evening's writing.\n")
    journal.interactive = True
    journal.env_extra["EDITOR"] = str(script)
    missing = journal("add", ok=False)
    assert missing.exit_code == 2 and "no vault" in missing.stderr and not log.exists()
    assert journal("add", "--sealed", ok=False).exit_code == 2 and not log.exists()
    journal.init()
    journal.prompts.queue = ["wrong one", "wrong two", "wrong three"]
    wrong = journal("add", ok=False)
    assert wrong.exit_code == 4 and not log.exists()
    sealed = journal("add", "--sealed")
    assert log.exists() and "Sealed for 2026-11-25" in sealed.stdout
    assert "A long evening's writing." in journal("show").stdout  # merged at unlock
