"""Entry.copy: every field kept, and the copy's lists, moments and extras independent."""

from dataclasses import fields
from datetime import date, datetime

from journal.core.model.entries import Entry, Moment


def _entry() -> Entry:
    entry = Entry(date=date(2026, 3, 4), body="Long day #ward with @sam", sleep=2, energy=4,
                  written_at=datetime(2026, 3, 4, 21, 0), recovery=["walk"],
                  good_things=["soup"], version=3, extra={"x": 1},
                  id="6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
                  moments=[Moment(kind="concern", intensity=3, context="work", time="10:30",
                                  tags=["ward"], people=["sam"], feelings=["warm"],
                                  action="helped", note="sat with them",
                                  id="0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d")])
    entry.summary_title = "a title"
    entry.body_length = 99
    return entry


def test_copy_keeps_every_field():
    original = _entry()
    copied = original.copy()
    for f in fields(Entry):
        assert getattr(copied, f.name) == getattr(original, f.name), f.name
    assert copied.moments[0] == original.moments[0]
    assert copied is not original and copied.moments[0] is not original.moments[0]


def test_editing_a_copy_leaves_the_original_alone():
    original = _entry()
    copied = original.copy()
    copied.recovery.append("music")
    copied.good_things.clear()
    copied.moments[0].intensity = 1
    copied.moments.append(Moment(kind="contagion", intensity=5, context="home"))
    copied.extra["y"] = 2
    copied.body = "changed"
    assert original == _entry() and original.body_length == 99
