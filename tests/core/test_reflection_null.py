"""The false-alarm budget (issue 12): on simulated years where nothing is related to
anything, the reflection marks any finding (●) in at most 5% of years, in every scenario,
over the whole year and over the default 4-week range; and at most 20% of users who look
at the 4-week range every week for a quarter ever see a ●. The generator is
journal.core.reflection.simulate, shared with `make calibrate` (bench/calibrate.py), which
runs 1,000 years per scenario; here fewer, on fixed seeds, call the core directly."""

from __future__ import annotations

import math
from datetime import date, timedelta
from statistics import NormalDist

import gen
import pytest

from journal.core.reflection import reflect, reflect_rows
from journal.core.reflection.simulate import SCENARIOS, null_year, weekly_looks

END = date(2026, 12, 4)
YEARS = 80          # per scenario: each reflected over the whole year and the last 4 weeks
USERS = 30          # per scenario: each looks 13 times, once a week
BUDGET = 0.05
WEEKLY_BUDGET = 0.20


def _marked(result: dict) -> list[str]:
    return [f["kind"] for f in result["findings"] if f["notable"]]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_null_years_rarely_mark_anything(scenario):
    whole = recent = 0
    for seed in range(YEARS):
        rows = null_year(seed, scenario, end=END)
        whole += bool(_marked(reflect_rows(rows, today=END)))
        recent += bool(_marked(reflect_rows(rows, since=END - timedelta(days=27), until=END)))
    assert whole <= BUDGET * YEARS, (scenario, "whole year", whole)
    assert recent <= BUDGET * YEARS, (scenario, "4 weeks", recent)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_weekly_looker_rarely_ever_sees_a_mark_in_a_quarter(scenario):
    saw = 0
    for seed in range(USERS):
        rows = null_year(5_000 + seed, scenario, end=END)
        saw += any(_marked(reflect_rows(rows, since=since, until=until))
                   for since, until in weekly_looks(END))
    assert saw <= WEEKLY_BUDGET * USERS, (scenario, saw)


def test_the_simulator_makes_realistic_years():
    rows = null_year(1, "independent", end=END)
    assert 250 <= len(rows) <= 340 and rows[-1][0] <= END
    moments = sum(len(r[5]) for r in rows)
    assert 1.5 <= moments / len(rows) <= 2.5
    busy = null_year(1, "busy", end=END)
    assert 8 <= sum(len(r[5]) for r in busy) / len(busy) <= 12
    assert null_year(1, "weekday", end=END) == null_year(1, "weekday", end=END)
    with pytest.raises(ValueError):
        null_year(1, "nonsense")


def test_the_output_is_reproducible_and_the_shuffles_are_seeded_from_the_data():
    rows = null_year(3, "correlated", end=END)
    first = reflect_rows(rows, since=END - timedelta(days=27), until=END)
    assert reflect_rows(list(reversed(rows)), since=END - timedelta(days=27), until=END) == first


def test_a_year_long_drift_of_ten_points_toward_concern_is_marked():
    marked = 0
    for seed in range(1, 41):
        entries = gen.drift(seed)   # 10 points over the year, about 12 moments a day
        found = gen.find(reflect(entries, today=entries[-1].date), "balance")
        if found["notable"]:
            marked += 1
            assert -0.2 < found["stats"]["trend_change"] < 0
            assert "steady move toward concern" in found["summary"]
    assert marked >= 0.8 * 40


def test_the_drift_check_is_as_sensitive_as_fitting_every_moment():
    # The trend's chance check (the slope's numerator over days, shuffled within weekday)
    # must lose nothing against the most a linear trend can show: the weighted least-squares
    # z of every moment's kind against its week. A two-window comparison, or a day-share
    # fit that drops the moments' weights on uneven days, would fall well short of it.
    compared = 0
    for seed in range(1, 13):
        entries = gen.drift(seed, points=0.08, moments=6)
        found = gen.find(reflect(entries, today=entries[-1].date), "balance")
        p = found["stats"]["chance"]["p"]
        if p is None or found["stats"]["recent"]["flag"]:
            continue   # below the 5-point threshold, or the strongest check is another one
        week = [(e.date.toordinal() - 1) // 7 for e in entries for _ in e.moments]
        kind = [m.kind == "contagion" for e in entries for m in e.moments]
        mean_week, share = sum(week) / len(week), sum(kind) / len(kind)
        sxx = sum((w - mean_week) ** 2 for w in week)
        slope = sum((w - mean_week) * (k - share) for w, k in zip(week, kind, strict=True)) / sxx
        best = abs(slope) / math.sqrt(share * (1 - share) / sxx)
        assert found["stats"]["trend_per_week"] == pytest.approx(slope, abs=1e-4)
        assert NormalDist().inv_cdf(1 - p / 2) == pytest.approx(best, rel=0.08), seed
        compared += 1
    assert compared >= 8
