"""The three-way merge of one day: line merges, conflicts keep both, moments by id."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.sync.merge import MARK_A, MARK_B, merge_entry, merge_text, resolve
from journal.core.sync.revisions import Revision


def test_changes_on_different_lines_both_land_without_conflict():
    base = "one\ntwo\nthree\n"
    merged, conflict = merge_text(base, "ONE\ntwo\nthree\n", "one\ntwo\nTHREE\n")
    assert (merged, conflict) == ("ONE\ntwo\nTHREE\n", False)


def test_changes_on_the_same_line_keep_both_texts_between_marks():
    merged, conflict = merge_text("a\n", "a\nmine\n", "a\ntheirs")
    assert conflict
    assert merged == f"a\n{MARK_A}mine\n=======\ntheirs\n{MARK_B}"


def test_one_side_unchanged_takes_the_other():
    assert merge_text("x\n", "x\n", "y\n") == ("y\n", False)
    assert merge_text("x\n", "y\n", "x\n") == ("y\n", False)


def _entry(body: str, **extra) -> dict:
    data = {"id": "0b0f7a5e-3c1d-4e0b-9f57-1d2a3b4c5d6e", "date": "2026-01-02",
            "written_at": "2026-01-02T21:00:00", "body": body, "sleep": None, "energy": None,
            "recovery": [], "good_things": [], "moments": []}
    data.update(extra)
    return data


def _moment(mid: str, intensity: int) -> dict:
    return {"id": mid, "kind": "concern", "intensity": intensity, "context": "work",
            "time": None, "tags": [], "people": [], "feelings": [], "action": None,
            "note": ""}


def test_moments_merge_as_a_map_and_two_edits_of_one_moment_keep_both():
    m1, m2 = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
    base = _entry("b\n", moments=[_moment(m1, 3)])
    a = _entry("b\n", moments=[_moment(m1, 5)])
    b = _entry("b\n", moments=[_moment(m1, 7), _moment(m2, 2)])
    merged, conflict = merge_entry(base, a, b)
    assert conflict
    intensities = sorted(m["intensity"] for m in merged["moments"])
    assert intensities == [2, 5, 7]
    assert len({m["id"] for m in merged["moments"]}) == 3


def test_lists_keep_both_sides_and_a_deletion_loses_to_an_edit():
    base = _entry("b\n", recovery=["walk"])
    merged, _ = merge_entry(base, _entry("b\n", recovery=["walk", "tea"]),
                            _entry("b\n", recovery=["walk", "run"]))
    assert merged["recovery"] == ["walk", "tea", "run"]
    assert merge_entry(base, None, _entry("edited\n"))[0]["body"] == "edited\n"
    assert merge_entry(base, None, base) == (None, False)


def test_resolve_is_the_same_whatever_order_revisions_are_known_in():
    root = Revision.make("2026-01-02", [], _entry("base\n"))
    left = Revision.make("2026-01-02", [root.id], _entry("base\nleft\n"))
    right = Revision.make("2026-01-02", [root.id], _entry("right\nbase\n"))
    forward = resolve({r.id: r for r in (root, left, right)})
    backward = resolve(dict(reversed([(r.id, r) for r in (root, left, right)])))
    assert forward == backward
    assert forward[0]["body"] == "right\nbase\nleft\n"


# -- who wrote which side (issue 18) ----------------------------------------------------------
_DAY = "2026-12-03"


def _conflicting(by_left, by_right):  # noqa: ANN001, ANN202
    root = Revision.make(_DAY, [], _entry("a\nbase\nz\n"))
    left = Revision.make(_DAY, [root.id], _entry("a\nleft\nz\n"), by_left)
    right = Revision.make(_DAY, [root.id], _entry("a\nright\nz\n"), by_right)
    return root, left, right


def test_each_mark_names_the_machine_and_time_of_its_side():
    revs = _conflicting(("laptop", "2026-12-03T21:40:00"), ("desktop", "2026-12-04T07:15:00"))
    content, conflict = resolve({r.id: r for r in revs})
    first, second = sorted(revs[1:], key=lambda r: r.id)  # heads merge in id order
    words = {revs[1].id: "laptop, Thu 3 Dec 21:40", revs[2].id: "desktop, Fri 4 Dec 07:15"}
    assert conflict
    assert content["body"] == (f"a\n{MARK_A[:-1]} {words[first.id]}\n{first.content['body'][2:-2]}"
                               f"=======\n{second.content['body'][2:-2]}"
                               f"{MARK_B[:-1]} {words[second.id]}\nz\n")


def test_revisions_without_an_author_keep_the_marks_of_before():
    content, _ = resolve({r.id: r for r in _conflicting(None, None)})
    assert f"\n{MARK_A}" in content["body"] and content["body"].endswith(f"{MARK_B}z\n")
    mixed, _ = resolve({r.id: r for r in _conflicting(None, ("desk", "2026-12-04T07:15:00"))})
    assert "desk, Fri 4 Dec 07:15" in mixed["body"] and MARK_A in mixed["body"] + MARK_B


_NAME = st.text(max_size=20)
_TIME = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)).map(
    lambda d: d.isoformat(timespec="seconds"))
_LINES = st.lists(st.sampled_from(["a", "b", "c", "mine", "yours", ""]), max_size=4)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_NAME, _TIME, _LINES), min_size=2, max_size=4), st.randoms())
def test_two_machines_merging_the_same_revisions_in_any_order_write_the_same_body(
        sides, rng):
    root = Revision.make(_DAY, [], _entry("a\nb\nc\n"))
    revs = [root] + [Revision.make(_DAY, [root.id], _entry("".join(x + "\n" for x in lines)),
                                   (name, time)) for name, time, lines in sides]
    here = dict((r.id, r) for r in revs)
    shuffled = revs[:]
    rng.shuffle(shuffled)
    there = dict((r.id, r) for r in shuffled)
    assert resolve(here) == resolve(there)
    # and one machine that learnt them one at a time ends where the other did
    known: dict[str, Revision] = {}
    for rev in shuffled:
        known[rev.id] = rev
        resolve(known)
    assert resolve(known)[0]["body"] == resolve(here)[0]["body"]
