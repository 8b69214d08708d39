"""Hostile and odd input (issue 7): huge entries, thousands of moments in a day, right-to-left
text, emoji and combining marks, control characters and terminal escapes in every field.

What is proved (figures in docs/faults.md):
* a 10 MB body and a day with 3,000 moments store, reload, export and import byte for byte,
  and `journal list` / `show` handle them;
* RTL text, emoji sequences and combining marks (NFD kept as typed) round-trip byte-exact
  through the vault, the JSON exchange format, the Markdown exporter/importer and the CLI;
* escape sequences and C0/C1 controls planted in bodies, tags, people, notes, recovery
  labels and good things never reach the terminal raw from `journal list`, `show`,
  `search`, `reflect` (text and --json) or from an error message.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from faultkit import ESCAPES, ODD_TEXT, CliJournal, raw_controls
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.exchange import format_v1 as exchange
from journal.core.exchange.exporters import markdown as md_export
from journal.core.exchange.importers import markdown as md_import
from journal.core.model.entries import Entry, Moment
from journal.core.textsafe import (
    escape_markup,
    has_controls,
    one_line,
    picture_controls,
    terminal_safe,
)

DAY = date(2026, 11, 20)


# -- textsafe --------------------------------------------------------------------------------
def test_terminal_safe_escapes_every_control_but_newline_and_tab():
    for name, hostile in ESCAPES.items():
        shown = terminal_safe(f"before {hostile} after\n\tend")
        assert not raw_controls(shown), name
        assert shown.endswith("after\n\tend"), name
        assert not raw_controls(terminal_safe(hostile, strip=True)), name
    assert terminal_safe("a\x1b[31mb") == "a\\x1b[31mb"
    assert terminal_safe("a\x1b[31mb\x9b1m", strip=True) == "ab"
    assert terminal_safe("\x1b]52;c;AAAA\x07tail", strip=True) == "tail"
    assert one_line("one\ntwo\tthree\x07") == "one two three\\x07"
    assert picture_controls("a\x1b[1m\x00\x7f\x9b\n\t") == "a\u241b[1m\u2400\u2421\ufffd\n\t"


def test_terminal_safe_keeps_rtl_emoji_and_combining_marks_intact():
    for text in ODD_TEXT:
        assert terminal_safe(text) == text
        assert not has_controls(text)


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_terminal_safe_never_lets_a_control_through(text):
    for shown in (terminal_safe(text), terminal_safe(text, strip=True), one_line(text),
                  picture_controls(text)):
        assert not raw_controls(shown)
    assert len(picture_controls(text)) == len(text)  # offsets stay put (editors)
    if not has_controls(text):
        assert terminal_safe(text) == text  # only controls are touched


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]\\/@$=ab #")) | st.characters(
    blacklist_categories=("Cc", "Cs")), max_size=40))
def test_escape_markup_is_shown_literally_whatever_follows(text):
    from textual.content import Content

    guard = "\u200b" if text.endswith("\\") else ""
    assert Content.from_markup(escape_markup(text)).plain == text + guard
    wrapped = Content.from_markup(f"[b]{escape_markup(text)}[/b] [@click=app.bell]x[/]")
    assert wrapped.plain == f"{text}{guard} x"


# -- huge and odd entries: store, reload, export, import ------------------------------------
def _odd_entry(day: date = DAY) -> Entry:
    text = "\n\n".join(ODD_TEXT)
    return Entry(
        date=day, body=f"# {ODD_TEXT[0]}\n\n{text}\n\n#שלום @זואי #café\u0301\n",
        recovery=["ריצה", "🚶-walk"], good_things=[ODD_TEXT[3], ODD_TEXT[4]],
        moments=[Moment(kind="concern", intensity=6, context="home",
                        tags=["עבודה", "👩‍⚕️"], people=["zoë", "مريم"],
                        feelings=["moved"], note=ODD_TEXT[1] + " " + ODD_TEXT[4])])


def _roundtrips(tmp_path, entries: list[Entry]) -> None:
    """Vault -> reload -> JSON export -> import -> Markdown export -> import: all equal."""
    cli = CliJournal(tmp_path / "a")
    with cli.create() as vault:
        vault.put_many(entries)
    with cli.open() as vault:
        stored = sorted(vault.entries(), key=lambda e: e.date)
    by_id = {e.id: e for e in entries}
    for got in stored:
        want = by_id[got.id]
        assert got.body.encode() == want.body.encode()
        assert got.moments == want.moments and got.good_things == want.good_things
        assert got.recovery == want.recovery
    text = exchange.to_json_text(stored)
    again = exchange.loads(text)
    assert exchange.to_json_text(again) == text
    assert [e.body for e in again] == [e.body for e in stored]
    out = tmp_path / "md"
    md_export.write(stored, out)
    from_md = sorted(md_import.read(out), key=lambda e: e.date)
    assert [e.body.encode() for e in from_md] == [e.body.encode() for e in stored]
    assert [e.moments for e in from_md] == [e.moments for e in stored]
    other = CliJournal(tmp_path / "b")
    with other.create() as vault:
        vault.put_many(again)
    with other.open() as vault:
        assert exchange.to_json_text(vault.entries()) == text


def test_rtl_emoji_and_combining_marks_roundtrip_byte_exact(tmp_path):
    entry = _odd_entry()
    _roundtrips(tmp_path, [entry])
    assert "e\u0301" in entry.body  # decomposed, as typed: never normalised


def test_odd_text_through_the_cli_add_show_search(tmp_path):
    cli = CliJournal(tmp_path)
    cli("init")
    body = "\n".join(ODD_TEXT[:6])
    cli("add", "--date", "2026-11-20", "-", input=body)
    cli("add", "--date", "2026-11-20", "-m", "concern 5 home #עבודה @zoë: שלום 👩‍⚕️")
    shown = json.loads(cli("show", "2026-11-20", "--json").stdout)
    assert shown["body"] == body.strip() + "\n"
    assert shown["moments"][0]["tags"] == ["עבודה"]
    assert shown["moments"][0]["note"] == "שלום 👩‍⚕️"
    assert cli("show", "2026-11-20").stdout.count(ODD_TEXT[3]) == 1
    found = json.loads(cli("search", "עולם", "--json").stdout)
    assert [e["date"] for e in found["entries"]] == ["2026-11-20"]


def test_ten_megabyte_body(tmp_path):
    line = "Une longue soirée. שלום 👩‍⚕️ e\u0301 — the words keep coming.\n"
    body = line * (10_000_000 // len(line.encode()) + 1)
    assert len(body.encode()) >= 10_000_000
    entry = Entry(date=DAY, body=body, moments=[Moment("contagion", 3, "work")])
    _roundtrips(tmp_path, [entry])
    cli = CliJournal(tmp_path / "a")
    listed = cli("list").stdout
    assert listed.count("\n") == 1 and "Une longue soirée." in listed
    shown = cli("show", DAY.isoformat()).stdout
    assert body.rstrip() in shown


def test_three_thousand_moments_in_one_day(tmp_path):
    kinds, contexts = ("contagion", "concern"), ("work", "commute", "home", "elsewhere")
    moments = [Moment(kind=kinds[i % 2], intensity=i % 11, context=contexts[i % 4],
                      time=f"{(i // 60) % 24:02d}:{i % 60:02d}", tags=[f"t{i % 97}"],
                      people=[f"p{i % 13}"], note=f"moment {i} 👍🏽")
               for i in range(3000)]
    entry = Entry(date=DAY, body="A very long shift.", moments=moments)
    _roundtrips(tmp_path, [entry, Entry(date=DAY - timedelta(days=1), body="quiet")])
    cli = CliJournal(tmp_path / "a")
    assert "1500 contagion / 1500 concern" in cli("list").stdout
    shown = cli("show", DAY.isoformat()).stdout
    assert shown.count("\n- ") == 3000
    as_json = json.loads(cli("show", DAY.isoformat(), "--json").stdout)
    assert len(as_json["moments"]) == 3000
    found = json.loads(cli("search", "#t96", "--json").stdout)
    assert [e["date"] for e in found["entries"]] == [DAY.isoformat()]


# -- escapes and controls never reach the terminal raw ---------------------------------------
def _build_hostile() -> list[Entry]:
    entries = []
    for offset, (name, bad) in enumerate(sorted(ESCAPES.items())):
        day = DAY - timedelta(days=offset)
        entries.append(Entry(
            date=day, body=f"{bad} title {name}\n\nbody {bad} #tag{bad[:3]} @sam",
            recovery=[f"walk{bad}"], good_things=[f"good {bad}"],
            moments=[Moment(kind="contagion", intensity=7, context="work",
                            tags=[f"x{bad}"], people=[f"p{bad}"], feelings=[f"f{bad}"],
                            note=f"note {bad}"),
                     Moment(kind="concern", intensity=4, context="home", tags=["hostile"],
                            note=bad)]))
    # as the vault gives them back: labels normalised (whitespace controls become dashes)
    return [Entry.from_dict(e.to_dict()) for e in entries]


HOSTILE = _build_hostile()


def _hostile_entries() -> list[Entry]:
    return [e.copy() for e in HOSTILE]


@pytest.fixture
def hostile_cli(tmp_path):
    cli = CliJournal(tmp_path)
    with cli.create() as vault:
        vault.put_many(_hostile_entries())
    return cli


def test_hostile_text_is_stored_exactly(hostile_cli):
    with hostile_cli.open() as vault:
        stored = {e.date: e for e in vault.entries()}
    for want in _hostile_entries():
        assert stored[want.date].body == want.body
        assert stored[want.date].moments == want.moments


COMMANDS = {
    "list": ["list"],
    "show": ["show", DAY.isoformat()],
    "show-each": None,  # every hostile day, below
    "search-words": ["search", "body"],
    "search-tag": ["search", "#hostile"],
    "reflect": ["reflect", "--since", "2026-10-01"],
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_cli_text_output_has_no_raw_controls(hostile_cli, name):
    runs = ([["show", e.date.isoformat()] for e in _hostile_entries()]
            if COMMANDS[name] is None else [COMMANDS[name]])
    for args in runs:
        result = hostile_cli(*args)
        assert result.stdout.strip(), args
        assert raw_controls(result.stdout) == [], (args, result.stdout[:400])
        assert raw_controls(result.stderr) == [], (args, result.stderr[:400])


@pytest.mark.parametrize("args", [["list", "--json"], ["show", DAY.isoformat(), "--json"],
                                  ["search", "#hostile", "--json"], ["reflect", "--json"],
                                  ["export", "--format", "json"]])
def test_cli_json_output_has_no_raw_controls(hostile_cli, args):
    """JSON escapes C0 itself; DEL and C1 (U+0080-U+009F, e.g. the 8-bit CSI) must be
    escaped too, as \\u009b: the same data, and safe when a script prints it."""
    result = hostile_cli(*args)
    assert raw_controls(result.stdout) == [], result.stdout[:400]
    json.loads(result.stdout)


def test_error_messages_do_not_echo_controls(tmp_path):
    """A hostile import file's bad value is quoted in the error: escaped, on one line."""
    cli = CliJournal(tmp_path)
    cli("init")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "journal-export", "version": 1, "entries": [
        {"date": "2026-11-\x1b]52;c;AAAA\x07", "body": "x"}]}), encoding="utf-8")
    result = cli("import", str(bad), ok=False)
    assert result.exit_code == 2
    assert "field 'date'" in result.stderr
    assert raw_controls(result.stderr) == [], repr(result.stderr)
    zone = tmp_path / "Journal.json"
    zone.write_text(json.dumps({"metadata": {"version": "1.0"}, "entries": [
        {"creationDate": "2026-11-20T10:00:00Z", "timeZone": "Europe/\x1b[2JBerlin",
         "text": "x"}]}), encoding="utf-8")
    result = cli("import", str(zone), "--format", "dayone", ok=False)
    assert "timeZone" in result.stderr
    assert raw_controls(result.stderr) == [], repr(result.stderr)
    odd_name = tmp_path / "notes\n\x1b[2Jday.md"  # a file name is user input too
    odd_name.write_text("no date here", encoding="utf-8")
    result = cli("import", str(odd_name), "--format", "markdown", ok=False)
    assert "no date" in result.stderr
    assert result.stderr.count("\n") == 1, repr(result.stderr)
    assert raw_controls(result.stderr) == [], repr(result.stderr)
