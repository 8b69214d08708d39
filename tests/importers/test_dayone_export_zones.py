"""The Day One export wrote every local time as if it were UTC, with `timeZone` "UTC".
Day One writes the instant in UTC (`creationDate`, with `Z`) and the IANA name of the zone
it was written in (`timeZone`); ours now does the same: the entry's own zone if its
`written_at` carries one, else the zone given (`--timezone`, or the computer's zone from
the injected clock). Our Day One importer reads back the same days and times."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from peer_sample import sample_entries

from journal.core.errors import ValidationError
from journal.core.exchange.exporters import dayone as dayone_export
from journal.core.exchange.importers import dayone
from journal.core.model.entries import Entry

LONDON = ZoneInfo("Europe/London")
SUMMER = Entry(date=date(2026, 7, 1), body="a long evening",
               written_at=datetime(2026, 7, 1, 21, 30), updated_at=datetime(2026, 7, 2, 8, 0))
WINTER = Entry(date=date(2026, 11, 25), body="dark by four",
               written_at=datetime(2026, 11, 25, 21, 30))


def items(entries, zone) -> dict[str, dict]:
    document = json.loads(dayone_export.render_json(entries, zone))
    return {i["text"].split("\n")[0]: i for i in document["entries"]}


def test_local_times_are_written_as_day_one_writes_them():
    got = items([SUMMER, WINTER], LONDON)
    assert got["a long evening"]["creationDate"] == "2026-07-01T20:30:00Z"  # BST
    assert got["a long evening"]["modifiedDate"] == "2026-07-02T07:00:00Z"
    assert got["dark by four"]["creationDate"] == "2026-11-25T21:30:00Z"  # GMT
    assert {i["timeZone"] for i in got.values()} == {"Europe/London"}


def test_a_written_at_with_its_own_zone_keeps_it():
    there = Entry(date=date(2026, 11, 20), body="on a visit",
                  written_at=datetime(2026, 11, 20, 22, 0, tzinfo=ZoneInfo("America/New_York")))
    got = items([there, WINTER], LONDON)
    assert got["on a visit"]["timeZone"] == "America/New_York"
    assert got["on a visit"]["creationDate"] == "2026-11-21T03:00:00Z"
    assert got["dark by four"]["timeZone"] == "Europe/London"


@pytest.mark.parametrize(("offset", "name"), [(0, "UTC"), (1, "Etc/GMT-1"),
                                              (-5, "Etc/GMT+5"), (14, "Etc/GMT-14")])
def test_a_fixed_offset_gets_its_iana_name(offset, name):
    zone = timezone(timedelta(hours=offset))
    [item] = items([WINTER], zone).values()
    assert item["timeZone"] == name
    assert item["creationDate"] == (datetime(2026, 11, 25, 21, 30) - timedelta(hours=offset)
                                    ).strftime("%Y-%m-%dT%H:%M:%SZ")
    ZoneInfo(name)  # a name the zone database (and so Day One, and our importer) knows


def test_an_offset_with_no_iana_name_is_refused_with_the_way_out():
    with pytest.raises(ValidationError, match="--timezone"):
        dayone_export.render_json([WINTER], timezone(timedelta(hours=5, minutes=30)))
    assert dayone_export.named_zone("Asia/Kolkata").key == "Asia/Kolkata"
    for bad in ("Mars/Olympus_Mons", "", "../etc/passwd", "Europe"):
        with pytest.raises(ValidationError, match="not a known time zone"):
            dayone_export.named_zone(bad)


@pytest.mark.parametrize("zone", [LONDON, ZoneInfo("America/New_York"), ZoneInfo("UTC"),
                                  timezone(timedelta(hours=-3))])
def test_ours_to_day_one_to_ours_keeps_every_day_and_time(tmp_path, zone):
    originals = [*sample_entries(), SUMMER, WINTER]
    path = tmp_path / "dayone.zip"
    dayone_export.write(originals, path, zone=zone)
    back = {e.date: e for e in dayone.read(path)}
    assert sorted(back) == sorted(e.date for e in originals)
    for entry in originals:
        if entry.written_at and entry.written_at.date() == entry.date:
            assert back[entry.date].written_at == entry.written_at, entry.date


# -- each entry's offset from its own date (issue: the default zone was the offset now) --

ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
#: Local times that exist, twice a month through 2026, at hours on both sides of midnight.
THROUGH_THE_YEAR = [datetime(2026, month, day, hour, 30) for month in range(1, 13)
                    for day, hour in ((3, 0), (17, 21))]
#: The hour each zone's clocks skip in 2026 (Kolkata has no summer time).
SKIPPED = {"Europe/London": datetime(2026, 3, 29, 1, 30),
           "America/New_York": datetime(2026, 3, 8, 2, 30),
           "Australia/Sydney": datetime(2026, 10, 4, 2, 30)}
#: And the hour they repeat (the first of the two is meant).
REPEATED = {"Europe/London": datetime(2026, 10, 25, 1, 30),
            "America/New_York": datetime(2026, 11, 1, 1, 30),
            "Australia/Sydney": datetime(2026, 4, 5, 2, 30)}


def _written(times: list[datetime]) -> list[Entry]:
    return [Entry(date=t.date(), body=f"written at {t:%Y-%m-%d %H:%M}", written_at=t)
            for t in times]


@pytest.mark.parametrize("name", ZONES)
def test_every_date_gets_its_own_offset_and_comes_back_as_written(tmp_path, name):
    zone = ZoneInfo(name)
    times = [*THROUGH_THE_YEAR, *(t for t in (SKIPPED.get(name), REPEATED.get(name)) if t)]
    entries = _written(times)
    got = items(entries, zone)
    for when in THROUGH_THE_YEAR:  # the instant Day One shows: that date's offset
        item = got[f"written at {when:%Y-%m-%d %H:%M}"]
        assert item["creationDate"] == when.replace(tzinfo=zone).astimezone(
            ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ"), when
        assert item["timeZone"] == name
    path = tmp_path / "dayone.zip"
    dayone_export.write(entries, path, zone=zone)
    back = {e.date: e.written_at for e in dayone.read(path)}
    assert back == {t.date(): t for t in times}


@pytest.mark.parametrize("name", sorted(SKIPPED))
def test_a_time_the_clocks_skipped_keeps_its_clock_time(name):
    """02:30 on the night New York's clocks go forward does not exist: it is written as
    the instant Day One stores for it (02:30 before the switch, that is 03:30 after it),
    in the fixed zone of the hour before the switch, so it reads 02:30, not 03:30."""
    when = SKIPPED[name]
    [item] = items(_written([when]), ZoneInfo(name)).values()
    before = when - timedelta(hours=3)  # same offset as just before the switch
    offset = before.replace(tzinfo=ZoneInfo(name)).utcoffset()
    assert item["creationDate"] == (when - offset).strftime("%Y-%m-%dT%H:%M:%SZ")
    stamp = datetime.fromisoformat(item["creationDate"].replace("Z", "+00:00"))
    assert stamp.astimezone(ZoneInfo(item["timeZone"])).replace(tzinfo=None) == when
    assert stamp.astimezone(ZoneInfo(name)).replace(tzinfo=None) == when + timedelta(hours=1)


def test_a_zone_known_only_by_its_rules_names_each_dates_offset():
    """/etc/localtime copied rather than linked: the rules, no name. Each entry is named by
    the offset of its own date, so the instant and the clock time are both right."""
    from pathlib import Path
    source = Path("/usr/share/zoneinfo/America/New_York")
    if not source.is_file():
        pytest.skip("no system zone database")
    with source.open("rb") as handle:
        rules = ZoneInfo.from_file(handle)
    got = items(_written([datetime(2026, 7, 1, 21, 30), datetime(2026, 12, 1, 21, 30)]), rules)
    assert got["written at 2026-07-01 21:30"]["timeZone"] == "Etc/GMT+4"
    assert got["written at 2026-07-01 21:30"]["creationDate"] == "2026-07-02T01:30:00Z"
    assert got["written at 2026-12-01 21:30"]["timeZone"] == "Etc/GMT+5"
    assert got["written at 2026-12-01 21:30"]["creationDate"] == "2026-12-02T02:30:00Z"
