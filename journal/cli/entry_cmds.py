"""Entry commands: add, list, show, search, delete.

The query engine and the sealed box are imported by the commands that use them, so that
`journal add` does not load search code and `--help` loads no crypto."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from journal.cli.common import (
    DATE,
    entries_document,
    entry_line,
    find_entry,
    json_option,
    moment_summary,
    pass_runtime,
    passphrase_file_option,
    plural,
    render_entry,
    summary_lines,
    terminal_width,
)
from journal.cli.moment_syntax import parse_moment
from journal.cli.output import confirm, say, say_json
from journal.cli.runtime import Runtime, provenance_line
from journal.core.care.safety import (
    NO_ONE_WATCHES,
    SEALED_CANNOT_COUNT,
    SUPPORT_LINES,
    check_ins_before,
    needs_support,
)
from journal.core.errors import JournalError, ValidationError
from journal.core.exchange import format_v1 as exchange
from journal.core.model.entries import CHECK_INS, CONTEXTS, KINDS, Entry, normalise_label
from journal.core.textsafe import one_line

if TYPE_CHECKING:
    from journal.core.store.vault import Vault

SCALE = click.IntRange(0, 10)


@click.command()
@click.argument("text", nargs=-1)
@click.option("--date", "day", type=DATE, help="The day (YYYY-MM-DD, today, yesterday, "
              "'last friday'...). Default: today.")
@click.option("-m", "--moment", "moments", multiple=True, metavar="SPEC",
              help="A moment: 'KIND INTENSITY CONTEXT [HH:MM] [#tag] [@person] [~feeling] "
                   "[!action][: note]'. Repeatable.")
@click.option("--sleep", type=SCALE, help="How well you slept last night, 0-10.")
@click.option("--energy", type=SCALE, help="Your energy today, 0-10.")
@click.option("--recovery", multiple=True, metavar="LABEL",
              help="Something that helped you recover (walk, music...). Repeatable.")
@click.option("--good", multiple=True, metavar="TEXT", help="A good thing. Repeatable.")
@click.option("--check-in", "check_in", type=click.Choice(CHECK_INS),
              help="The optional safety check-in: ok, struggling or not_safe. not_safe (or "
                   "struggling three entries in a row) prints support resources.")
@click.option("-e", "--edit", is_flag=True,
              help="Write the text in $VISUAL / $EDITOR (the default when nothing else is "
                   "given at a terminal).")
@click.option("--sealed", is_flag=True,
              help="Seal the entry without the passphrase; it merges at the next unlock.")
@passphrase_file_option
@pass_runtime
def add(runtime: Runtime, text: tuple[str, ...], day: date | None, moments: tuple[str, ...],
        sleep: int | None, energy: int | None, recovery: tuple[str, ...],
        good: tuple[str, ...], check_in: str | None, edit: bool, sealed: bool,
        passphrase_file: Path | None) -> None:
    """Quick capture: add text and moments to a day's entry.

    TEXT is Markdown (#tags and @people are recognised). Keep it off the command line
    where you can: text given as arguments is visible to other users of this computer
    (in the process list) and stays in your shell history. The private ways:

    \b
      journal add                 opens $VISUAL or $EDITOR on a file in memory (/dev/shm)
      journal add < notes.md      reads a pipe or file ('-' reads standard input too)

    Piped text and -m moments combine. If the day already has an entry, this is appended
    to it. A moment is written in a compact form, with the app's one-letter keys (see
    docs/cli.md):

    \b
      KIND INTENSITY CONTEXT [HH:MM] [#tag ...] [@person ...] [~feeling ...] [!action][: note]
      KIND: contagion | concern (c, k)   INTENSITY: 0-10
      CONTEXT: work | commute | home | elsewhere (w, c, h, e)
      ACTION: approached | helped | withdrew | avoided (a, h, w, v)

    \b
    Examples (single quotes: bash and zsh treat '!' in double quotes as history):
      journal add
      journal add -m 'contagion 7 work 14:30 #yelling @sam ~worried !withdrew: froze' \\
                  --sleep 5 --energy 3 --recovery walk
      echo 'Quiet evening. #rest' | journal add -m 'c 3 w #triage' --date yesterday
      journal add --sealed
      journal add --check-in struggling
    """
    body = " ".join(text)
    options_only = bool(moments or sleep is not None or energy is not None or recovery or good
                        or check_in)
    parsed = [parse_moment(spec, where=f"moment {i + 1}") for i, spec in enumerate(moments)]
    use_editor = body != "-" and (edit or (runtime.is_interactive and not (text or
                                                                          options_only)))
    if body == "-" or (not text and not use_editor):
        body = sys.stdin.read() if body == "-" or not sys.stdin.isatty() else ""
    vault = None
    if use_editor:  # unlock (or find the vault) first: what is written is never lost to
        if sealed:  # a missing vault or a mistyped passphrase after the editor closes
            from journal.core.store.vault import Vault

            Vault.read_header(runtime.paths.vault)[1].close()
        else:
            vault = runtime.open_vault(passphrase_file, verify=False)
    try:
        if use_editor:
            from journal.external_editor import edit as edit_in_editor

            body = edit_in_editor(body, env=runtime.env)
        verb, saved, earlier, damaged = _add(runtime, vault, body, day, parsed, sleep,
                                             energy, recovery, good, check_in, sealed,
                                             passphrase_file)
    finally:
        if vault is not None:
            vault.close()
    day = saved.date
    if sealed:
        say(f"Sealed for {day.isoformat()} without unlocking; it will be merged into "
            f"the journal the next time you unlock it ({verb} waiting).")
    else:
        summary = moment_summary(saved)
        say(f"{verb} the entry for {day:%a} {day.isoformat()}"
            + (f" ({summary})" if summary else "") + ".")
    if damaged:
        how_many = plural(damaged, "damaged entry", "damaged entries")
        say(f"journal: warning: the entry was saved, but this vault has {how_many} "
            "(run 'journal check'; 'journal export --skip-damaged' saves the others)",
            err=True)
    # sealed: earlier check-ins are sealed away, only this one counts (earlier is empty)
    if needs_support(check_in, earlier):
        _print_support()
    elif sealed and check_in == "struggling":
        say(SEALED_CANNOT_COUNT)
    _argument_tip(runtime, text, edit)


def _print_support() -> None:
    """The support resources, after what was saved (domain.md §8.2)."""
    say("")
    for line in (*SUPPORT_LINES, NO_ONE_WATCHES):
        say(line)


def _add(runtime: Runtime, vault: Vault | None, body: str, day: date | None,
         parsed: list, sleep: int | None, energy: int | None, recovery: tuple[str, ...],
         good: tuple[str, ...], check_in: str | None, sealed: bool,
         passphrase_file: Path | None) -> tuple[str, Entry, list, int]:
    """Build the entry and seal it, or save it into its day: (verb or pending count, the
    entry, the check-ins of the entries before it when this one is 'struggling', how many
    damaged entries share its bucket)."""
    if not (body.strip() or parsed or sleep is not None or energy is not None or recovery
            or good or check_in):
        raise click.UsageError("nothing to add: give some text, a moment (-m) or a check-in "
                               "option")
    day = day or runtime.clock.today()
    entry = Entry.from_dict({
        "date": day.isoformat(), "body": body.strip() + "\n" if body.strip() else "",
        "sleep": sleep, "energy": energy, "recovery": list(recovery),
        "good_things": [g.strip() for g in good if g.strip()],
        "moments": [exchange.moment_dict(m) for m in parsed],
        "written_at": runtime.clock.now().replace(microsecond=0).isoformat(),
        "check_in": check_in,
    }, where="the new entry")
    from journal.core.store.captures import SealedBox, merge_into

    if sealed:
        box = SealedBox(runtime.paths.vault)
        box.add(entry)
        return str(box.pending()), entry, [], 0
    # No whole-vault check here: the save verifies the manifest bucket of the entry it
    # changes (and the row read is authenticated), so adding costs the same at any size.
    # After saving, the records of that bucket are hashed against their digests (about
    # n/256 rows), so damage there is not written past without a word (issue 13 item 12);
    # a scan of every record (~0.5 s at 10,000 entries) is `journal check`'s job.
    opened = vault or runtime.open_vault(passphrase_file, verify=False)
    try:
        existing = opened.get_by_date(day)
        if existing is None:
            verb, saved = "Created", opened.put(entry)
        else:
            merged = merge_into(existing, entry)
            merged.sleep = sleep if sleep is not None else merged.sleep
            merged.energy = energy if energy is not None else merged.energy
            merged.check_in = check_in or merged.check_in
            verb, saved = "Added to", opened.put(merged)
        damaged = len(opened.damaged_near(saved.id))  # the person must hear of it
        earlier = check_ins_before(opened.summaries(), day) if check_in == "struggling" else []
        return verb, saved, earlier, damaged
    finally:
        if vault is None:
            opened.close()


def _argument_tip(runtime: Runtime, text: tuple[str, ...], edit: bool) -> None:
    """After text given as arguments was saved: the private ways, said once."""
    if text and text != ("-",) and not edit:
        _tip_once(runtime, "argv-text",
                  "tip: text given as arguments shows in the process list and your shell "
                  "history; 'journal add' alone opens your editor, or pipe it in "
                  "(shown once)")


def _tip_once(runtime: Runtime, name: str, tip: str) -> None:
    """Print `tip` on stderr the first time only, remembered in the state dir (never the
    vault); a state dir that cannot be written just means the tip may come again."""
    path = runtime.paths.tips_file
    try:
        shown = path.read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError):
        shown = []
    if name in shown:
        return
    say(tip, err=True)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8", opener=_private) as handle:
            handle.write(name + "\n")
    except OSError:
        pass


def _private(path: str, flags: int) -> int:
    import os

    return os.open(path, flags, 0o600)


def _limit(func):  # noqa: ANN001, ANN202 - decorator
    return click.option("-n", "limit", type=click.IntRange(min=1), metavar="N",
                        help="Show at most N entries.")(func)


def _since_until(func):  # noqa: ANN001, ANN202 - decorator
    func = click.option("--until", "--to", "until", type=DATE,
                        help="Only entries on or before DATE.")(func)
    return click.option("--since", "--from", "since", type=DATE,
                        help="Only entries on or after DATE (e.g. 2026-01-01, 'last friday', "
                             "'2 weeks ago').")(func)


#: Listing lines written at once (stdout is flushed after each write).
_BATCH = 200


def _print_entries(entries: Sequence[Entry], as_json: bool, empty: str,
                   width: int | None = None) -> None:
    if as_json:
        say_json(entries_document(entries))
        return
    if not entries:
        say(empty, err=True)
        return
    width = width or terminal_width()
    lines = getattr(entries, "lines", None)  # index rows: no Entry built, moments not decoded
    if lines is not None:  # written in batches: the first at once, thousands without a
        batch: list[str] = []  # write per line (issue 19: 4,800 matches)
        for line in summary_lines(lines(), width):
            batch.append(line)
            if len(batch) == _BATCH:
                say("\n".join(batch))
                batch = []
        if batch:
            say("\n".join(batch))
        return
    for entry in entries:
        say(entry_line(entry, width))


def _first(entries: Sequence[Entry], n: int) -> Sequence[Entry]:
    """The first `n`; index rows (`Hits`) stay index rows: no Entry built for a line."""
    head = getattr(entries, "head", None)
    return head(n) if head is not None else entries[:n]


def _ids(entries: Sequence[Entry]) -> list[str]:
    ids = getattr(entries, "ids", None)  # index rows: no Entry built
    return ids() if ids is not None else [e.id for e in entries]


@click.command("list")
@_limit
@_since_until
@json_option
@passphrase_file_option
@pass_runtime
def list_entries(runtime: Runtime, limit: int | None, since: date | None, until: date | None,
                 as_json: bool, passphrase_file: Path | None) -> None:
    """List entries, newest first: date, moments, first line.

    \b
    Examples:
      journal list -n 7
      journal list --since 2026-01-01 --until 2026-03-31
      journal list --json | jq '.entries[0].date'
    """
    from journal.core.store.read_ahead import ReadAhead

    if since and until and since > until:
        raise ValidationError(f"--since {since} is after --until {until}")
    width = terminal_width()  # before unlocking: its import runs while the key is derived
    vault = runtime.open_vault(passphrase_file, read_ahead=ReadAhead(chunks=True))
    try:
        from journal.core.model.query import Query

        hits = vault.index().select(Query(since=since, until=until))
        entries: Sequence[Entry] = _first(hits, limit) if limit else hits
        if as_json:
            entries = vault.get_many(_ids(entries))
        damaged = set() if as_json else vault.damaged_among(_ids(entries))
    finally:
        vault.close()
    if damaged:  # never the old summary of a row that no longer authenticates
        for entry in entries:
            say(f"{entry.date.isoformat()} {entry.date:%a}  [damaged: this entry "
                "fails its integrity check; run 'journal check']"
                if entry.id in damaged else entry_line(entry))
        return
    _print_entries(entries, as_json, _none_listed(since, until), width)


def _none_listed(since: date | None, until: date | None) -> str:
    """What `list` says when it lists nothing: an empty vault, or an empty range."""
    if since and until:
        return f"No entries from {since} to {until}."
    if since or until:
        return f"No entries {'on or after' if since else 'on or before'} {since or until}."
    return "No entries yet. Add one with: journal add   (opens your editor)"


@click.command()
@click.argument("ref", metavar="[DATE|ID]", required=False)
@json_option
@passphrase_file_option
@pass_runtime
def show(runtime: Runtime, ref: str | None, as_json: bool,
         passphrase_file: Path | None) -> None:
    """Show one entry: its text, moments and check-in.

    With no argument: today's entry, or the newest one. DATE is YYYY-MM-DD, today,
    yesterday, 'last friday', '3 days ago' or 'nov 20'; ID is an entry id or its first
    characters.

    \b
    Examples:
      journal show
      journal show yesterday
      journal show 'last friday'
      journal show 3f2a9c --json
    """
    vault = runtime.open_vault(passphrase_file)
    try:
        if ref is None:
            entry = vault.get_by_date(runtime.clock.today()) or _newest(vault)
        else:
            entry = find_entry(vault, ref, runtime.clock.today())
        arrivals = vault.arrivals(entry.date)
    finally:
        vault.close()
    if as_json:
        say_json(exchange.to_text(exchange.entry_dict(entry)))
    else:
        say(render_entry(entry))
        for arrival in arrivals:  # issue 13 item 3: what quick capture brought in
            if arrival.to_review:  # a kept one is the person's own: no longer marked
                say(provenance_line(arrival))


def _newest(vault: Vault) -> Entry:
    hits = vault.index().select()
    entry = vault.get(hits[0].id) if len(hits) else None
    if entry is None:
        raise JournalError("there are no entries yet; write one with: journal add")
    return entry


@click.command("tags")
@json_option
@passphrase_file_option
@pass_runtime
def tags_cmd(runtime: Runtime, as_json: bool, passphrase_file: Path | None) -> None:
    """List #tags and @people, with how many entries carry each.

    Most used first. Counts come from the encrypted index (body and moments alike).

    \b
    Examples:
      journal tags
      journal tags --json | jq '.tags | keys'
    """
    from journal.core.store.read_ahead import ReadAhead

    vault = runtime.open_vault(passphrase_file, read_ahead=ReadAhead(chunks=True))
    try:
        tags, people = vault.index().label_counts()
    finally:
        vault.close()
    ranked = {name: sorted(((label, n) for label, n in counts.items() if n),
                           key=lambda item: (-item[1], item[0]))
              for name, counts in (("tags", tags), ("people", people))}
    if as_json:
        import json

        say_json(json.dumps({name: dict(items) for name, items in ranked.items()},
                            ensure_ascii=False, indent=2) + "\n")
        return
    rows = [(f"#{label}", n) for label, n in ranked["tags"]]
    rows += [(f"@{label}", n) for label, n in ranked["people"]]
    if not rows:
        say("No tags yet. Tag a day with #words in the text or a moment.", err=True)
        return
    width = max(len(one_line(label)) for label, _ in rows)
    for label, count in rows:
        say(f"{one_line(label):<{width}}  {count}")


@click.command("search")
@click.argument("query", nargs=-1)
@click.option("--tag", "tags", multiple=True, metavar="TAG",
              help="Has this #tag (repeatable: all of them).")
@click.option("--person", "people", multiple=True, metavar="NAME",
              help="Mentions this @person (repeatable: all of them).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS),
              help="Has a moment of this kind.")
@click.option("--context", "contexts", multiple=True, type=click.Choice(CONTEXTS),
              help="Has a moment in this context.")
@_limit
@_since_until
@json_option
@passphrase_file_option
@pass_runtime
def search_cmd(runtime: Runtime, query: tuple[str, ...], tags: tuple[str, ...],
               people: tuple[str, ...], kinds: tuple[str, ...], contexts: tuple[str, ...],
               limit: int | None, since: date | None, until: date | None, as_json: bool,
               passphrase_file: Path | None) -> None:
    """Search entries (in memory, after unlocking); newest first.

    The query combines words (all must appear), #tag, @person, kind:KIND,
    context:CONTEXT, since:DATE and until:DATE. Options add the same filters.

    \b
    Examples:
      journal search handover
      journal search "#yelling @sam kind:contagion since:2026-10-01"
      journal search --kind contagion --context home --json
    """
    from journal.core.model.query import Query, search_vault
    from journal.core.store.read_ahead import ReadAhead

    parsed = Query.parse(" ".join(query), runtime.clock.today())
    parsed.tags += [normalise_label(t) for t in tags]
    parsed.people += [normalise_label(p) for p in people]
    parsed.kinds += list(kinds)
    parsed.contexts += list(contexts)
    parsed.since = since or parsed.since
    parsed.until = until or parsed.until
    if parsed.since and parsed.until and parsed.since > parsed.until:
        raise ValidationError(f"since ({parsed.since}) is after until ({parsed.until})")
    width = terminal_width()  # before unlocking: its import runs while the key is derived
    vault = runtime.open_vault(
        passphrase_file, read_ahead=ReadAhead(chunks=True, words=bool(parsed.text)))
    try:
        found = search_vault(vault, parsed)
        shown = _first(found, limit) if limit else found
        if as_json:
            shown = vault.get_many(_ids(shown))
    finally:
        vault.close()
    if not as_json and found:
        n_shown = len(shown)
        say(f"{plural(len(found), 'entry', 'entries')} match"
            f"{'es' if len(found) == 1 else ''}"
            + (f" (showing {n_shown})" if n_shown < len(found) else ""), err=True)
    _print_entries(shown, as_json, "No entries match.", width)


@click.command()
@click.argument("ref", metavar="DATE|ID")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
@passphrase_file_option
@pass_runtime
def delete(runtime: Runtime, ref: str, yes: bool, passphrase_file: Path | None) -> None:
    """Delete one entry for good.

    Asks for confirmation, unless --yes. Without a terminal to ask on, refuses unless
    --yes is given.

    \b
    Examples:
      journal delete 2026-11-24
      journal delete 3f2a9c --yes
    """
    if not yes and not runtime.is_interactive:
        raise JournalError("refusing to delete without confirmation: there is no terminal to "
                           "ask on; add --yes if you are sure")
    vault = runtime.open_vault(passphrase_file)
    try:
        entry = find_entry(vault, ref, runtime.clock.today())
        detail = ", ".join(p for p in (entry.title[:50], moment_summary(entry)) if p)
        question = (f"Delete the entry for {entry.date:%a} {entry.date.isoformat()}"
                    + (f" ({detail})" if detail else "") + "? This cannot be undone.")
        if not yes and not confirm(question):
            say("Nothing deleted.", err=True)
            return
        vault.delete(entry.id)
    finally:
        vault.close()
    say(f"Deleted the entry for {entry.date.isoformat()}.")
