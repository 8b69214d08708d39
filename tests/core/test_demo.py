"""The demo year is deterministic, valid, realistic in shape, and carries the patterns the
reflection view is meant to show; the bulk generator has the size the benchmark asks for."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from journal.core import demo
from journal.core.demo import generate, generate_year
from journal.core.model.entries import Entry
from journal.core.reflection import KINDS, reflect

END = date(2026, 11, 25)


def test_generate_year_is_deterministic_and_seeded():
    a = [e.to_dict() for e in generate_year(END)]
    b = [e.to_dict() for e in generate_year(END)]
    assert a == b
    assert a != [e.to_dict() for e in generate_year(END, seed=8)]


def test_generate_year_entries_are_valid_and_varied():
    entries = generate_year(END)
    assert 300 <= len(entries) <= 365
    assert entries[-1].date <= END and entries[0].date >= END - timedelta(days=364)
    assert len({e.date for e in entries}) == len(entries)
    assert len({e.id for e in entries}) == len(entries)
    for entry in entries:
        assert Entry.from_dict(entry.to_dict()).to_dict() == entry.to_dict()
        assert 0 <= len(entry.moments) <= 4
    bodies = {e.body for e in entries}
    assert len(bodies) > 0.9 * len(entries)  # varied prose
    assert all(e.all_tags and e.all_people for e in entries
               if any(m.context == "work" for m in e.moments))
    weekday = [len([m for m in e.moments if m.context == "work"]) for e in entries
               if e.date.weekday() < 5]
    weekend = [len([m for m in e.moments if m.context == "work"]) for e in entries
               if e.date.weekday() >= 5]
    assert sum(weekday) / len(weekday) > 3 * sum(weekend) / len(weekend)
    recovery = Counter(r for e in entries for r in e.recovery)
    assert {"walk", "yoga", "music", "friends", "cooking", "supervision",
            "compassion-pause"} <= set(recovery)
    assert sum(1 for e in entries if e.good_things) > len(entries) / 2


def test_reflect_on_the_demo_year_reports_all_six_kinds_with_the_planted_patterns():
    entries = generate_year(END)
    result = reflect(entries, today=END)
    found = {f["kind"]: f for f in result["findings"]}
    for kind in KINDS:
        assert found[kind]["status"] == "ok", kind
        assert found[kind]["evidence"], kind
    assert found["balance"]["stats"]["trend_per_week"] < 0       # drift toward concern
    # Contagion that came home (issue 12): the planted spillover is contagion, late in the
    # year too (the hard last week), not the work moment's kind carried along.
    assert found["spillover"]["stats"]["days"] >= 30
    assert found["spillover"]["stats"]["last_7_days"] >= 4
    assert found["spillover"]["stats"]["concern_days"] == 0
    assert found["spillover"]["notable"]
    assert found["triggers"]["stats"]["tags"][0]["tag"] == "safeguarding"
    assert "safeguarding" in found["triggers"]["stats"]["standing_out"]
    assert found["sleep_after_contagion"]["notable"]
    assert found["sleep_after_contagion"]["stats"]["difference"] >= 1.5
    walk = next(a for a in found["recovery"]["stats"]["activities"] if a["activity"] == "walk")
    assert walk["stands_out"] and walk["difference"] < 0
    assert found["self_care_gap"]["stats"]["longest"]["days"] >= 14


def test_reflect_on_demo_years_of_other_seeds_and_lengths_still_finds_the_patterns():
    for seed in (1, 2, 3):
        result = reflect(generate_year(END, seed=seed), today=END)
        found = {f["kind"]: f for f in result["findings"]}
        assert all(found[k]["status"] == "ok" for k in KINDS)
        assert "safeguarding" in found["triggers"]["stats"]["standing_out"]
        assert found["self_care_gap"]["stats"]["longest"]["days"] >= 14
    short = generate_year(END, days=90)
    assert short[0].date >= END - timedelta(days=89)


def test_generate_has_the_benchmark_shape():
    entries = generate(200, 3)
    assert len(entries) == 200
    assert [e.date for e in entries] == [date(2000, 1, 3) + timedelta(days=i)
                                         for i in range(200)]
    assert all(len(e.moments) == 3 for e in entries)
    assert all(len(e.body.encode()) == 1500 for e in entries)
    assert [e.to_dict() for e in generate(20, 3)] == [e.to_dict() for e in entries[:20]]
    other = generate(10, 3, start=date(2024, 1, 1), body_bytes=500, moments=2)
    assert other[0].date == date(2024, 1, 1)
    assert all(len(e.body.encode()) == 500 and len(e.moments) == 2 for e in other)
    Entry.from_dict(entries[0].to_dict())


def test_demo_contains_no_client_names_only_roles_and_initials():
    people = {p for e in generate_year(END) for p in e.all_people}
    assert people  # pseudonyms are present...
    assert all(re.fullmatch(r"(mr|mrs|ms|dr)-[a-z]|[a-z-]+", p) for p in people)
    assert people <= set(demo.CLIENTS) | set(demo.COLLEAGUES)



def test_what_the_demo_carries_home_from_work_is_contagion():
    # the docstring's promise: evenings when work comes home are contagion, all year long
    entries = generate_year(END)
    carried = []
    for entry in entries:
        work = {label for m in entry.moments if m.context == "work"
                for label in (*m.tags, *m.people)}
        carried += [m for m in entry.moments if m.context == "home"
                    and work & {*m.tags, *m.people}]
    assert len(carried) >= 30
    assert all(m.kind == "contagion" for m in carried)
