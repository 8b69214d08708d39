"""Sync commands: sync, sync init, sync status, sync rename, sync forget (docs/sync.md)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from journal.cli.common import pass_runtime, passphrase_file_option, plural
from journal.cli.output import say, say_json
from journal.cli.runtime import Runtime
from journal.core.model.conflicts import when_saved
from journal.core.store.vault import Vault
from journal.core.textsafe import one_line


def _unlocked(runtime: Runtime, passphrase_file: Path | None) -> tuple[Vault, str]:
    """The vault and its passphrase (sync needs it for the folder's keys): three tries
    when typed, and the same growing wait as every unlock."""
    return runtime.open_with_passphrase(passphrase_file)


def print_report(report: object, as_json: bool) -> None:
    """Say what came in and what went out; refuse (exit 5) when the folder was tampered."""
    from journal.core.sync.session import SyncReport

    assert isinstance(report, SyncReport)
    if as_json:
        say_json(json.dumps(report.to_json(), indent=2) + "\n")
    else:
        senders = f" from {', '.join(map(one_line, report.sent_by))}" if report.sent_by else ""
        say(f"Sent {plural(report.sent, 'change')}, received "
            f"{plural(report.received, 'change')}{senders}; "
            f"{plural(len(report.days_changed), 'day')} updated here.")
        if report.restored:
            say(f"Put back {plural(report.restored, 'record')} of this machine that "
                "the folder had lost.")
        for day in sorted(report.conflicts):
            who = report.written_on(day)
            where = f"on {one_line(who)} while apart" if who else "on two machines"
            say(f"conflict: {day} was changed {where}; both texts are kept "
                "between <<<<<<< and >>>>>>> marks: edit the day to choose")
        for line in report.waiting:
            say(f"waiting: {line}")
        for line in report.refused:
            say(f"refused: {line}")
        if report.in_step:
            say("In step with the sync folder.")
    refusal = report.refusal()
    if refusal is not None:
        raise refusal


@click.group(invoke_without_command=True)
@passphrase_file_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def sync(ctx: click.Context, passphrase_file: Path | None, as_json: bool) -> None:
    """Exchange changes with the sync folder now.

    Pushes what this machine wrote, merges what the other machines wrote, and prints what
    came in and went out. Exits 0 when nothing was refused, 5 when a record in the folder
    was altered, replayed, deleted or rolled back (named on the lines above).

    \b
    Examples:
      journal sync init ~/Sync/journal     link this vault to a folder
      journal sync                         exchange changes now
      journal sync --json
    """
    if ctx.invoked_subcommand is not None:
        return
    from journal.core.sync import session

    runtime = ctx.find_object(Runtime) or Runtime()
    vault, passphrase = _unlocked(runtime, passphrase_file)
    try:
        report = session.sync(vault, passphrase, allow_weak=runtime.allow_weak)
    finally:
        vault.close()
    print_report(report, as_json)


@sync.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", help="This machine's name for the others (default: the host name); "
              "conflict marks say it. Sealed: the folder's host never sees it.")
@passphrase_file_option
@pass_runtime
def sync_init(runtime: Runtime, directory: Path, name: str | None,
              passphrase_file: Path | None) -> None:
    """Link this vault to the sync folder DIRECTORY (created inside it: journal-sync/).

    \b
    Example:
      journal sync init ~/Sync/journal --name laptop
    """
    from journal.core.sync import session

    vault, passphrase = _unlocked(runtime, passphrase_file)
    try:
        linked = session.link(vault, directory, passphrase, allow_weak=runtime.allow_weak,
                              name=name)
        report = session.sync(vault, passphrase, allow_weak=runtime.allow_weak)
    finally:
        vault.close()
    say(f"Linked to {linked.folder} as machine {linked.machine} "
        f"({one_line(session.machine_name(linked))}).")
    print_report(report, as_json=False)


@sync.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@passphrase_file_option
@pass_runtime
def sync_status(runtime: Runtime, passphrase_file: Path | None, as_json: bool) -> None:
    """The machines seen, when each last wrote, and what is waiting.

    \b
    Example:
      journal sync status
    """
    from journal.core.sync import session

    vault, _passphrase = _unlocked(runtime, passphrase_file)
    try:
        found = session.status(vault)
    finally:
        vault.close()
    if as_json:
        say_json(json.dumps(found, indent=2) + "\n")
        return
    say(f"Sync folder: {found['folder']} (key epoch {found['epoch']})")
    for peer in found["machines"]:
        wrote = when_saved(peer["last_wrote"] or "", runtime.clock.now().year)
        label = "this machine" if peer["this"] else f"last wrote {wrote}" if wrote else (
            "nothing written yet" if not peer["records"] + peer["unread"] else "last wrote -")
        extra = " (retired)" if peer["retired"] else ""
        unread = f", {peer['unread']} unread" if peer["unread"] else ""
        named = f" ({one_line(peer['shown'])})" if peer.get("name") else ""
        say(f"  {peer['machine']}{named}  {plural(peer['records'], 'record')}{unread}  "
            f"{label}{extra}")
    for name in found["shared_names"]:
        many = sum(1 for p in found["machines"] if p["name"] == name and not p["retired"])
        say(f"{plural(many, 'machine')} are called {one_line(name)}: 'journal sync rename "
            "NAME' on one of them gives it a name of its own (conflict marks then say "
            "which is which).")
    say(f"Pending here: {plural(found['pending_out'], 'day')} to send, "
        f"{plural(found['pending_in'], 'day')} to merge.")


@sync.command("rename")
@click.argument("name")
@passphrase_file_option
@pass_runtime
def sync_rename(runtime: Runtime, name: str, passphrase_file: Path | None) -> None:
    """Give this machine a new NAME for the others (conflict marks and 'sync status').

    Sealed like the rest: the folder's host never sees it. Revisions written from now on
    carry it; the other machines learn it from this machine's next sync. A name is made
    one line and cut to 40 characters, as at 'sync init --name'.

    \b
    Example:
      journal sync rename 'ward laptop'
    """
    from journal.core.sync import session

    vault, passphrase = _unlocked(runtime, passphrase_file)
    try:
        old, new = session.rename(vault, name, passphrase, allow_weak=runtime.allow_weak)
    finally:
        vault.close()
    say(f"This machine is now called {new} (was {old}); the other machines learn it at "
        "its next sync ('journal sync').")


@sync.command("forget")
@click.argument("machine")
@passphrase_file_option
@pass_runtime
def sync_forget(runtime: Runtime, machine: str, passphrase_file: Path | None) -> None:
    """Retire MACHINE (lost or sold): refuse what it writes from now on, new sync keys.

    MACHINE is its id as 'journal sync status' lists it, the start of the id, or its
    name when no other machine has that name.

    Change the passphrase first ('journal passwd') if the machine may be in other hands:
    the new keys are wrapped under this machine's passphrase.

    \b
    Example:
      journal sync forget 3f9c2a7d10b4e6f1
      journal sync forget 'old desktop'
    """
    from journal.core.sync import session

    vault, passphrase = _unlocked(runtime, passphrase_file)
    try:
        epoch = session.forget(vault, machine, passphrase, allow_weak=runtime.allow_weak)
    finally:
        vault.close()
    say(f"Machine {machine} retired; what is written from now on uses sync keys of "
        f"epoch {epoch}.")
