"""The three-way merge of one day: line merges, conflicts keep both, moments by id."""

from __future__ import annotations

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
