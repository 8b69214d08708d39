"""`journal reflect` end to end through click, with an injected Runtime and a real vault."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import gen
import pytest
from click.testing import CliRunner

from journal import settings
from journal.cli import cli
from journal.cli.runtime import Runtime
from journal.core.clock import FixedClock
from journal.core.demo import generate_year
from journal.core.reflection import KINDS, reflect
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault

PASSPHRASE = "a reflective test passphrase"
TODAY = date(2026, 11, 25)


def _runtime(tmp_path: Path, passphrase: str = PASSPHRASE) -> Runtime:
    return Runtime(clock=FixedClock(datetime(2026, 11, 25, 21, 30)),
                   kdf=KdfParams.fast_for_tests(), allow_weak=True,
                   env={"JOURNAL_VAULT": str(tmp_path / "vault"),
                        "JOURNAL_CONFIG_DIR": str(tmp_path / "config"),
                        "JOURNAL_PASSPHRASE": passphrase})


def _vault(tmp_path: Path, entries) -> None:
    vault, _code = Vault.create(tmp_path / "vault", PASSPHRASE, kdf=KdfParams.fast_for_tests())
    try:
        vault.put_many(entries)
    finally:
        vault.close()


def _run(tmp_path: Path, *args: str, runtime: Runtime | None = None):
    return CliRunner().invoke(cli, ["reflect", *args], obj=runtime or _runtime(tmp_path))


@pytest.fixture
def year(tmp_path: Path):
    entries = generate_year(TODAY)
    _vault(tmp_path, entries)
    return entries


def test_reflect_json_on_a_year_reports_all_six_kinds(tmp_path, year):
    result = _run(tmp_path, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == json.loads(json.dumps(reflect(year, today=TODAY)))
    found = {f["kind"]: f for f in data["findings"]}
    for kind in KINDS:
        assert found[kind]["status"] == "ok" and found[kind]["evidence"]
    ids = {e.id: e.date.isoformat() for e in year}
    for f in data["findings"]:
        for item in f["evidence"]:
            assert ids[item["entry_id"]] == item["date"]  # evidence points at real entries
    assert data["range"]["to"] == TODAY.isoformat()


def test_reflect_since_until(tmp_path, year):
    result = _run(tmp_path, "--json", "--since", "2026-09-01", "--until", "2026-09-30")
    data = json.loads(result.output)
    assert data["range"] == {"from": "2026-09-01", "to": "2026-09-30"}
    assert data["entries"] == sum(1 for e in year if e.date.month == 9 and e.date.year == 2026)


def test_reflect_text_lists_titles_summaries_and_evidence_dates(tmp_path, year):
    result = _run(tmp_path)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "not a diagnosis" in " ".join(out.split())
    data = reflect(year, today=TODAY)
    for f in data["findings"]:
        assert f["title"] in out
        assert f["evidence"][-1]["date"] in out if f["evidence"] else True
    assert "Evidence" in out


def test_reflect_uses_the_settings_work_end(tmp_path):
    entries = gen.noise(40, 3, p_home=0.0)
    monday = next(e for e in entries if e.date.weekday() == 0)
    for m in monday.moments:   # untimed work moments are taken to end by the work end
        m.time = None
    monday.moments.append(gen.moment(gen.random.Random(2), "contagion", "home", 19 * 60,
                                     tags=[monday.moments[0].tags[0]]))
    _vault(tmp_path, entries)

    def days() -> int:
        data = json.loads(_run(tmp_path, "--json").output)
        return next(f for f in data["findings"] if f["kind"] == "spillover")["stats"]["days"]

    assert days() == 1  # 19:00 is after the default 18:00
    settings.update(tmp_path / "config" / "settings.toml", work_end="20:00")
    assert days() == 0


def test_reflect_errors_are_one_line(tmp_path, year):
    wrong = _run(tmp_path, "--json", runtime=_runtime(tmp_path, "not the passphrase"))
    assert wrong.exit_code != 0 and "Traceback" not in wrong.output
    backwards = _run(tmp_path, "--since", "2026-10-01", "--until", "2026-09-01")
    assert backwards.exit_code != 0
    assert "after" in backwards.output and len(backwards.output.strip().splitlines()) == 1


def test_reflect_on_an_almost_empty_vault_says_what_is_missing(tmp_path):
    _vault(tmp_path, gen.noise(3, 1))
    result = _run(tmp_path)
    assert result.exit_code == 0
    assert result.output.count("Not enough data yet") == len(KINDS) + 3


def test_reflect_text_counts_read_naturally(tmp_path):
    from journal.core.model.entries import Entry, Moment

    _vault(tmp_path, [Entry(date=date(2026, 11, 20), moments=[Moment("concern", 4, "work")])])
    out = _run(tmp_path).stdout
    assert ": 1 entry, 1 moment" in out.splitlines()[0]


def test_reflect_text_ends_with_not_a_diagnosis_and_the_support_pointer(tmp_path, year):
    out = _run(tmp_path).output
    tail = " ".join(out.strip().splitlines()[-4:])
    assert "not a diagnosis" in tail
    assert out.strip().endswith("Support resources and crisis lines: run `journal support` "
                                "(F9 in the app).")
    data = json.loads(_run(tmp_path, "--json").output)
    assert "not a diagnosis" in data["not_a_diagnosis"]
    assert "journal support" in data["support"]["pointer"]
    assert "116 123" in data["support"]["text"]


def test_reflect_text_says_which_findings_stand_out(tmp_path, year):
    out = _run(tmp_path).output
    data = json.loads(_run(tmp_path, "--json").output)
    marked = [f["title"] for f in data["findings"] if f["notable"]]
    assert marked   # the demo year plants patterns
    head = " ".join(out.split("\n\n")[0].split())
    assert "● stands out beyond chance: " + ", ".join(marked) in head
    assert out.count("Marked ●.") == len(marked)
    assert "(self_care_gap)" not in out and "(balance)" not in out


def test_reflect_with_a_future_since_is_a_one_line_error(tmp_path, year):
    # seen: "Reflection 2027-01-01 to 2026-12-04"
    result = _run(tmp_path, "--since", "2027-01-01")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "Reflection" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and "after today" in result.output


def test_support_prints_the_support_screens_text(tmp_path):
    from journal.core.care.support import NO_ONE_WATCHES, support_plain
    from journal.ui.screens.support import SUPPORT_TEXT

    result = CliRunner().invoke(cli, ["support"], obj=_runtime(tmp_path))
    assert result.exit_code == 0
    assert result.output == support_plain()
    for line in SUPPORT_TEXT.replace("**", "").replace("## ", "").splitlines():
        assert line in result.output   # the screen's text, line for line, one source
    assert NO_ONE_WATCHES in result.output and "**" not in result.output
    assert "988" in result.output and "116 123" in result.output
    assert not (tmp_path / "vault").exists()   # needs no vault and no passphrase


def test_reflect_json_is_the_exchange_formats_text_written_a_piece_at_a_time(tmp_path, year):
    from journal.cli.reflect_cmd import json_pieces
    from journal.core.exchange.format_v1 import to_text

    result = _run(tmp_path, "--json")
    assert result.exit_code == 0, result.output
    assert result.output == to_text(reflect(year, today=TODAY))   # byte for byte
    odd = reflect(gen.noise(30, 4), today=TODAY)   # what json.dumps does at every turn
    odd["findings"][0]["stats"].update(
        empty_list=[], empty_dict={}, nested=[[1, 2.5], {"a": None}], flags=[True, False],
        big=10 ** 30, tiny=1e-300, neg=-0.0, text="tab\there \u2028 \x85 \x7f \"q\" \\ é",
        records=[{"date": "2026-01-01", "%s": "100%"}, {"date": "x", "%s": "\x00"}],
        mixed=[{"a": "1"}, {"a": 1}], reordered=[{"a": "1", "b": "2"}, {"b": "2", "a": "1"}],
        # records of plain strings fill one template in one go: a % in a key or a value
        # must stay itself; a quote, backslash, control or non-ASCII takes JSON's escaping
        percent=[{"%d": "50%", "b": "%s%%"}, {"%d": "%(x)s", "b": ""}],
        escaped=[{"a": 'say "hi"'}, {"a": "back\\slash"}, {"a": "é"}, {"a": "\x7f"}],
        weeks=[{"w": "2026-W01", "n": 3, "s": 0.5, "x": None}, {"w": "%s", "n": -1,
                                                               "s": 1e-300, "x": True}])
    odd["findings"][1]["evidence"] = []
    text = "".join(json_pieces(odd))
    assert text == json.dumps(odd, indent=2, ensure_ascii=False) + "\n"
    assert to_text(odd) == text.replace("\x7f", "\\u007f").replace("\x85", "\\u0085")
    odd["findings"][0]["stats"]["nan"] = float("nan")
    with pytest.raises(ValueError):
        "".join(json_pieces(odd))


def test_shared_evidence_is_written_once_and_as_it_is_now(year):
    """The findings share their evidence items (`Evidence`: the day table's items and
    their days), so `reflect --json` writes each day's item once for all findings (issue
    19). An item changed, replaced or added after the reflection is written as it is."""
    from journal.cli.reflect_cmd import json_pieces
    from journal.core.reflection.days import Evidence

    result = reflect(year, today=TODAY)
    lists = [f["evidence"] for f in result["findings"] if f["evidence"]]
    assert len(lists) >= 3 and all(type(e) is Evidence for e in lists)
    assert lists[0][0] is lists[0].table[lists[0].days[0]]   # shared, not copied
    assert "".join(json_pieces(result)) == json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    lists[0][0]["date"] = 'changed "date" ✓'          # in every list that holds that day
    lists[1][-1] = {"entry_id": "x", "date": "y"}      # another item, keys in another order
    lists[2].append({"date": "2026-12-01", "entry_id": "%s"})
    assert "".join(json_pieces(result)) == json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def test_evidence_written_from_the_day_tables_columns_only_while_its_items_hold_them(year):
    """`reflect --json` takes the evidence items' values from the columns the day table
    made them from (`EvidenceTable`), after checking that each item still holds exactly
    those values under its keys, in order: an item whose keys were put in another order,
    that was replaced (in the table and the list alike) by one with another date, or that
    gained a key, is written as it is now."""
    from journal.cli.reflect_cmd import json_pieces
    from journal.core.reflection.days import EvidenceTable

    def written(result: dict) -> str:
        return "".join(json_pieces(result))

    def dumped(result: dict) -> str:
        return json.dumps(result, indent=2, ensure_ascii=False) + "\n"

    result = reflect(year, today=TODAY)
    lists = [f["evidence"] for f in result["findings"] if f["evidence"]]
    table = lists[0].table
    assert type(table) is EvidenceTable and len(table) == len(table.columns[0]) > 10
    assert written(result) == dumped(result)
    shown = lists[0].days[0]
    item = table[shown]
    item["date"] = item.pop("date")   # the same values, keys in another order
    assert list(item) == ["entry_id", "date"] and written(result) == dumped(result)
    assert f'"entry_id": "{item["entry_id"]}",' in written(result)
    item = table[shown] = lists[0][0] = {"date": "1999-12-31", "entry_id": item["entry_id"]}
    assert written(result) == dumped(result) and '"date": "1999-12-31"' in written(result)
    item["note"] = 'a "quoted" ✓'
    assert written(result) == dumped(result) and "quoted" in written(result)
