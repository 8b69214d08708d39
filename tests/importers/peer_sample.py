"""A few days of our own journal, written the ways people write: tags with jrnl's tag
characters, a person, a day folded from several imported entries, moments with tags and
people, a check-in, a body line that looks like a jrnl date. Shared by the export tests and
tests/data/peer/make_ours_reference.py (which records jrnl 4.6's reading of its export)."""

from __future__ import annotations

from datetime import date, datetime

from journal.core.model.entries import Entry, Moment


def sample_entries() -> list[Entry]:
    return [
        Entry(date=date(2026, 11, 18), id="0b8f2c1e-4a55-4a1b-9a51-5f0b8f2c1e01",
              body="Quiet day.\nRead about #c++ and #os/2 on the bus. #reading",
              written_at=datetime(2026, 11, 18, 21, 5)),
        Entry(date=date(2026, 11, 19), id="0b8f2c1e-4a55-4a1b-9a51-5f0b8f2c1e02",
              body="## 08:15 Early shift\nHandover was rough #work\n\n"
                   "## 19:40 Evening walk\nFelt lighter. #walk",
              written_at=datetime(2026, 11, 19, 8, 15)),
        Entry(date=date(2026, 11, 20), id="0b8f2c1e-4a55-4a1b-9a51-5f0b8f2c1e03",
              body="A hard day on the ward.\n\n[2026-11-01 10:00] was when it started.\n"
                   "Talked it through #team #c#",
              written_at=datetime(2026, 11, 20, 22, 30), sleep=6, energy=3,
              recovery=["walk"], good_things=["lunch outside"],
              moments=[Moment(kind="contagion", intensity=7, context="work", time="14:10",
                              tags=["ward", "night shift"], people=["dana"],
                              feelings=["upset"], action="helped", note="She cried",
                              id="9a1b2c3d-0000-4000-8000-000000000001"),
                       Moment(kind="concern", intensity=4, context="home",
                              tags=["family"], id="9a1b2c3d-0000-4000-8000-000000000002")]),
        Entry(date=date(2026, 11, 21), id="0b8f2c1e-4a55-4a1b-9a51-5f0b8f2c1e04",
              body="# Weekend\nNo shift today.", written_at=None),
    ]
