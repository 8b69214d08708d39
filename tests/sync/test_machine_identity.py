"""Telling "this machine" by a stable identity, not by its name: a revision carries the
machine's random id beside its name, and when the two sides of a conflict were written by
machines of one name, each mark carries the start of its id (`laptop #3f9c`), so the view
still tells them apart. Revisions without the id fall back to the name, as before."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.model.conflicts import id_tags, machine_of, parse, written_here
from journal.core.sync.merge import resolve
from journal.core.sync.revisions import Revision

DAY = "2026-12-03"
LAPTOP_A, LAPTOP_B = "3f9c2a7d10b4e6f1", "a1b2c3d4e5f60718"


def _entry(body: str) -> dict:
    return {"id": "00000000-0000-4000-8000-000000000001", "date": DAY, "body": body,
            "moments": []}


def _conflict(by_left, by_right):  # noqa: ANN001, ANN202
    root = Revision.make(DAY, [], _entry("a\nbase\nz\n"))
    left = Revision.make(DAY, [root.id], _entry("a\nleft\nz\n"), by_left)
    right = Revision.make(DAY, [root.id], _entry("a\nright\nz\n"), by_right)
    body = resolve({r.id: r for r in (root, left, right)})[0]["body"]
    (hunk,) = parse(body).hunks
    return hunk


def _side_of(hunk, text: str) -> str:  # noqa: ANN001
    return "one" if text in hunk.one else "other"


def test_two_machines_of_one_name_are_told_apart_by_their_ids():
    hunk = _conflict(("laptop", "2026-12-03T21:40:00", LAPTOP_A),
                     ("laptop", "2026-12-04T07:15:00", LAPTOP_B))
    names = {machine_of(hunk.one_label), machine_of(hunk.other_label)}
    assert names == {"laptop #3f9c", "laptop #a1b2"}
    assert written_here(hunk.one_label, hunk.other_label, "laptop", LAPTOP_A) == \
        _side_of(hunk, "left")
    assert written_here(hunk.one_label, hunk.other_label, "laptop", LAPTOP_B) == \
        _side_of(hunk, "right")
    assert written_here(hunk.one_label, hunk.other_label, "laptop", "ffff000011112222") == ""


def test_machines_of_different_names_show_names_alone():
    hunk = _conflict(("laptop", "2026-12-03T21:40:00", LAPTOP_A),
                     ("desktop", "2026-12-04T07:15:00", LAPTOP_B))
    assert {machine_of(hunk.one_label), machine_of(hunk.other_label)} == {"laptop", "desktop"}
    assert written_here(hunk.one_label, hunk.other_label, "laptop", LAPTOP_A) == \
        _side_of(hunk, "left")


def test_revisions_without_an_id_fall_back_to_the_name_as_before():
    hunk = _conflict(("laptop", "2026-12-03T21:40:00"), ("laptop", "2026-12-04T07:15:00"))
    assert machine_of(hunk.one_label) == machine_of(hunk.other_label) == "laptop"
    assert written_here(hunk.one_label, hunk.other_label, "laptop", LAPTOP_A) == ""
    hunk = _conflict(("laptop", "2026-12-03T21:40:00"), ("desktop", "2026-12-04T07:15:00"))
    assert written_here(hunk.one_label, hunk.other_label, "laptop", LAPTOP_A) == \
        _side_of(hunk, "left")


def test_another_machine_named_like_our_tag_makes_neither_side_this_machine():
    """A name that copies what our tagged mark would say cannot make both sides ours."""
    hunk = _conflict(("laptop", "2026-12-03T21:40:00", LAPTOP_A),
                     ("laptop #3f9c", "2026-12-04T07:15:00", LAPTOP_B))
    assert written_here(hunk.one_label, hunk.other_label, "laptop", LAPTOP_A) == ""


def test_ids_sharing_a_start_are_shown_until_they_differ():
    assert id_tags("3f9c2a7d10b4e6f1", "3f9c99990000aaaa") == ("3f9c2a7d", "3f9c9999")
    assert id_tags("3f9c2a7d10b4e6f1", "3f9c2a7d10b4e6f2") == ("3f9c2a7d10b4e6f1",
                                                              "3f9c2a7d10b4e6f2")


@pytest.mark.parametrize("bad", ["", "3F9C", "3f9c\n>>>>>>> other version", "a" * 65])
def test_a_revision_whose_id_is_not_plain_hex_is_refused(bad):
    made = Revision.make(DAY, [], _entry("a\n"), ("laptop", "2026-12-03T21:40:00", bad))
    with pytest.raises(ValueError):
        Revision.from_json(made.to_json())


_ID = st.text("0123456789abcdef", min_size=16, max_size=16)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["laptop", "desk", "laptop #3f9c"]), _ID, _ID, st.booleans())
def test_the_marks_are_the_same_in_any_order_and_name_this_machine_only(name_b, id_a, id_b,
                                                                      swap):
    """Whatever the names and ids: every machine writes the same marks (the merge is a
    function of the revisions), and the side a machine wrote is the only one the view may
    call "this machine" for it."""
    by_a = ("laptop", "2026-12-03T21:40:00", id_a)
    by_b = (name_b, "2026-12-04T07:15:00", id_b)
    root = Revision.make(DAY, [], _entry("a\nbase\nz\n"))
    left = Revision.make(DAY, [root.id], _entry("a\nleft\nz\n"), by_a)
    right = Revision.make(DAY, [root.id], _entry("a\nright\nz\n"), by_b)
    order = [root, right, left] if swap else [root, left, right]
    body = resolve({r.id: r for r in order})[0]["body"]
    assert body == resolve({r.id: r for r in reversed(order)})[0]["body"]
    (hunk,) = parse(body).hunks
    here_a = written_here(hunk.one_label, hunk.other_label, "laptop", id_a)
    assert here_a in ("", _side_of(hunk, "left"))
    here_b = written_here(hunk.one_label, hunk.other_label, name_b, id_b)
    assert here_b in ("", _side_of(hunk, "right"))
    if id_a != id_b and name_b == "laptop":
        assert here_a == _side_of(hunk, "left") and here_b == _side_of(hunk, "right")


def test_in_a_three_machine_conflict_the_merged_side_names_its_machines():
    from journal.core.model.conflicts import Choice

    root = Revision.make(DAY, [], _entry("a\nbase\nz\n"))
    sides = {name: Revision.make(DAY, [root.id], _entry(f"a\n{name} words\nz\n"),
                                 (name, "2026-12-03T21:40:00", ident))
             for name, ident in (("laptop", LAPTOP_A), ("desktop", LAPTOP_B),
                                 ("ward", "0123456789abcdef"))}
    body = resolve({r.id: r for r in (root, *sides.values())})[0]["body"]
    first, second, third = sorted(sides.values(), key=lambda r: r.id)  # merged in id order
    inner = parse(body)
    (hunk,) = inner.hunks
    assert {machine_of(hunk.one_label), machine_of(hunk.other_label)} == {
        first.by[0], second.by[0]}
    (outer,) = parse(inner.resolve([Choice.ONE])).hunks
    assert machine_of(outer.one_label) == f"{first.by[0]} + {second.by[0]}"
    assert machine_of(outer.other_label) == third.by[0]
    assert written_here(outer.one_label, outer.other_label, third.by[0], third.by[2]) == \
        "other"
    assert written_here(outer.one_label, outer.other_label, first.by[0], first.by[2]) == ""


def _three_way(names_ids):  # noqa: ANN001, ANN202
    """A day three machines changed on the same line, merged; the revisions in the order
    the merge takes them (by id) and the body."""
    root = Revision.make(DAY, [], _entry("a\nbase\nz\n"))
    sides = [Revision.make(DAY, [root.id], _entry(f"a\n{n} {i} words\nz\n"),
                           (n, "2026-12-03T21:40:00", i)) for n, i in names_ids]
    body = resolve({r.id: r for r in (root, *sides)})[0]["body"]
    return sorted(sides, key=lambda r: r.id), body


def _merged_first(names_ids, shared: str, last: str = ""):  # noqa: ANN001, ANN202
    """`_three_way` with the first machine's id changed until the two machines named
    `shared` are the ones merged first (the outer mark's merged side), or the machine
    named `last` is merged last."""
    for extra in range(256):
        names_ids = [(names_ids[0][0], names_ids[0][1][:-2] + f"{extra:02x}"), *names_ids[1:]]
        order, body = _three_way(names_ids)
        if (order[0].by[0] == order[1].by[0] == shared) if shared else (
                order[2].by[0] == last and order[0].by[0] != order[1].by[0]):
            return order, body
    raise AssertionError("no order found")  # pragma: no cover


def test_a_merged_side_whose_machines_share_a_name_names_both_with_their_ids():
    """Item 2: laptop + laptop merged first, desktop last: the outer mark's merged side
    showed no name at all (the two names were one)."""
    from journal.core.model.conflicts import Choice

    order, body = _merged_first([("laptop", LAPTOP_A), ("laptop", LAPTOP_B),
                                 ("desktop", "0123456789abcdef")], "laptop")
    (inner,) = parse(body).hunks
    (outer,) = parse(parse(body).resolve([Choice.ONE])).hunks
    first, second, third = order
    tags = id_tags(first.by[2], second.by[2])
    assert machine_of(outer.one_label) == f"laptop #{tags[0]} + laptop #{tags[1]}"
    assert machine_of(outer.other_label) == "desktop"
    assert {machine_of(inner.one_label), machine_of(inner.other_label)} == {
        f"laptop #{tags[0]}", f"laptop #{tags[1]}"}
    assert written_here(outer.one_label, outer.other_label, "desktop", third.by[2]) == "other"
    assert written_here(outer.one_label, outer.other_label, "laptop", first.by[2]) == ""


def test_a_namesake_merged_last_is_told_apart_from_the_one_in_the_merged_side():
    """laptop + desktop merged first, another laptop last: without tags the outer marks
    said "laptop + desktop" against "laptop", which reads as the same laptop."""
    from journal.core.model.conflicts import Choice

    order, body = _merged_first([("laptop", LAPTOP_B), ("desktop", "0123456789abcdef"),
                                 ("laptop", LAPTOP_A)], "", last="laptop")
    (outer,) = parse(parse(body).resolve([Choice.ONE])).hunks
    mine = next(r for r in order[:2] if r.by[0] == "laptop")
    theirs = order[2]
    ids = sorted((mine.by[2], theirs.by[2]))
    tags = dict(zip(ids, id_tags(*ids), strict=True))
    assert f"laptop #{tags[mine.by[2]]}" in machine_of(outer.one_label).split(" + ")
    assert machine_of(outer.other_label) == f"laptop #{tags[theirs.by[2]]}"
    assert written_here(outer.one_label, outer.other_label, "laptop", theirs.by[2]) == "other"
    (inner,) = parse(body).hunks  # the nested pair names the same laptop the same way
    assert f"laptop #{tags[mine.by[2]]}" in {machine_of(inner.one_label),
                                             machine_of(inner.other_label)}
    assert written_here(inner.one_label, inner.other_label, "laptop", mine.by[2]) in (
        "one", "other")


def test_ids_of_three_machines_of_one_name_are_shown_until_all_differ():
    assert id_tags("3f9c2a7d", "3f9c9999", "a1b2c3d4") == ("3f9c2a7d", "3f9c9999", "a1b2c3d4")
    assert id_tags("3f9c2a7d", "a1b2c3d4", "0000ffff") == ("3f9c", "a1b2", "0000")
