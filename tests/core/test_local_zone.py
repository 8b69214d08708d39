"""The computer's zone, as the clock gives it to the Day One export: with its summer-time
rules (zoneinfo), named when the system names it, so each entry gets the offset of its own
date. It used to be only the offset now (`astimezone()`), an hour off for the other half of
a summer-time year. A zone that disagrees with the C library's offset now is not trusted."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from journal.core.clock import local_zone

DATABASE = Path("/usr/share/zoneinfo")
WINTER_IN_LONDON = datetime(2026, 12, 5, 21, 0, tzinfo=UTC)
WINTER_IN_NEW_YORK = datetime(2026, 12, 5, 21, 0, tzinfo=timezone(timedelta(hours=-5)))
nothing = Path("/nonexistent/localtime")

needs_database = pytest.mark.skipif(not (DATABASE / "America/New_York").is_file(),
                                    reason="no system zone database to link to")


def zone(**kw) -> object:
    kw.setdefault("localtime", nothing)
    kw.setdefault("timezone_file", nothing)
    return local_zone(**kw)


@pytest.mark.parametrize("told", ["Europe/London", ":Europe/London"])
def test_tz_names_a_zone(told):
    assert zone(environ={"TZ": told}, now=WINTER_IN_LONDON) == ZoneInfo("Europe/London")


def test_summer_comes_with_the_zone():
    found = zone(environ={"TZ": "Europe/London"}, now=WINTER_IN_LONDON)
    assert datetime(2026, 7, 1, 12, tzinfo=found).utcoffset() == timedelta(hours=1)


@needs_database
def test_etc_localtime_links_into_the_database(tmp_path):
    link = tmp_path / "localtime"
    link.symlink_to(DATABASE / "America/New_York")
    found = zone(environ={}, localtime=link, now=WINTER_IN_NEW_YORK)
    assert getattr(found, "key", None) == "America/New_York"


def test_etc_timezone_names_it(tmp_path):
    (tmp_path / "timezone").write_text("America/New_York\n")
    found = zone(environ={}, timezone_file=tmp_path / "timezone", now=WINTER_IN_NEW_YORK)
    assert getattr(found, "key", None) == "America/New_York"


@needs_database
def test_a_copied_localtime_gives_its_rules_without_a_name(tmp_path):
    copy = tmp_path / "localtime"
    shutil.copyfile(DATABASE / "America/New_York", copy)
    found = zone(environ={}, localtime=copy, now=WINTER_IN_NEW_YORK)
    assert getattr(found, "key", None) is None
    assert datetime(2026, 7, 1, 12, tzinfo=found).utcoffset() == timedelta(hours=-4)


@pytest.mark.parametrize("told", ["CET-1CEST,M3.5.0,M10.5.0/3", "Mars/Olympus_Mons", ""])
def test_a_tz_without_a_zone_gives_the_offset_now(told):
    found = zone(environ={"TZ": told}, now=WINTER_IN_NEW_YORK)
    assert found == timezone(timedelta(hours=-5))


def test_a_zone_that_disagrees_with_the_c_library_is_not_trusted(tmp_path):
    (tmp_path / "timezone").write_text("Europe/London\n")
    found = zone(environ={}, timezone_file=tmp_path / "timezone", now=WINTER_IN_NEW_YORK)
    assert found == timezone(timedelta(hours=-5))
