"""The demo year is deterministic, valid, realistic in shape, and carries the patterns the
reflection view is meant to show; the bulk generator has the size the benchmark asks for."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from journal.core import demo
from journal.core.demo import generate, generate_year
from journal.core.model.entries import Entry
from journal.core.model.practice import Practice
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


def test_the_demo_keeps_practices_as_the_app_would():
    """Issue 17's loose end: the demo year had no practices. A practice follows a heavy
    contagion moment (at the offer's default of 7 or more), at most one a day, on evenings
    that list a compassion-pause; its record is one the model accepts. (Drawn from their own
    random stream: the reflection goldens of the demo year kept every other finding.)"""
    entries = generate_year(END)
    practised = [(e, m) for e in entries for m in e.moments if m.practice is not None]
    assert 30 <= len(practised) <= 80
    for entry, moment in practised:
        assert moment.kind == "contagion" and moment.intensity >= 7
        assert "compassion-pause" in entry.recovery
        assert sum(m.practice is not None for m in entry.moments) == 1
        assert Practice.from_dict(moment.practice.to_dict()) == moment.practice
        assert moment.practice.before is not None
        assert (moment.practice.after is None) == ("close" not in moment.practice.steps)
    changes = [m.practice.change for _, m in practised if m.practice.change is not None]
    assert sum(changes) / len(changes) < 0 and any(c >= 0 for c in changes)
    assert any(len(m.practice.steps) < 6 for _, m in practised)  # some skipped, some stopped
    assert any(m.practice.minutes for _, m in practised)

    assert sum(1 for e in entries if "compassion-pause" in e.recovery) == len(practised)


def test_demo_entries_start_with_their_own_words_not_a_heading():
    # `journal show` and the preview name the day; a '# Friday' of its own said it twice
    entries = generate_year(END)
    assert not any(e.body.lstrip().startswith("#") for e in entries)
    assert not any(e.title in {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                               "Saturday", "Sunday"} for e in entries)
