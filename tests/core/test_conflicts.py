"""Reading sync's conflict hunks out of a body, and writing the body back once decided."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journal.core.model.conflicts import CLOSE, MIDDLE, OPEN, Choice, Hunk, parse
from journal.core.sync.merge import MARK_A, MARK_B, MARK_MID, merge_text


def test_the_marks_are_the_ones_the_sync_merge_writes():
    assert (MARK_A, MARK_MID, MARK_B) == (OPEN + "\n", MIDDLE + "\n", CLOSE + "\n")


def test_a_hunk_from_the_merge_is_read_with_both_versions_and_the_text_around_it():
    merged, conflict = merge_text("Long shift.\nbase\nEnd.\n", "Long shift.\nlaptop words\n"
                                  "End.\n", "Long shift.\ndesktop words\nmore\nEnd.\n")
    assert conflict
    found = parse(merged)
    assert found.parts == ("Long shift.\n", Hunk("laptop words\n", "desktop words\nmore\n"),
                           "End.\n")


@pytest.mark.parametrize(("choice", "body"), [
    (Choice.ONE, "a\nmine\nz\n"),
    (Choice.OTHER, "a\ntheirs\nz\n"),
    (Choice.BOTH, "a\nmine\ntheirs\nz\n"),
    ("written by hand", "a\nwritten by hand\nz\n"),
    ("", "a\nz\n"),
])
def test_each_choice_writes_the_body_without_marks(choice, body):
    merged, _ = merge_text("a\nbase\nz\n", "a\nmine\nz\n", "a\ntheirs\nz\n")
    assert parse(merged).resolve([choice]) == body


def test_several_hunks_are_decided_one_by_one_in_order():
    merged, _ = merge_text("1\n2\n3\n4\n5\n", "1\nA2\n3\n4\nA5\n", "1\nB2\n3\n4\nB5\n")
    found = parse(merged)
    assert [h.one for h in found.hunks] == ["A2\n", "A5\n"]
    assert found.resolve([Choice.OTHER, Choice.ONE]) == "1\nB2\n3\n4\nA5\n"
    with pytest.raises(ValueError):
        found.resolve([Choice.ONE])


def test_each_hunk_says_the_line_before_it():
    merged, _ = merge_text("1\n\n2\n3\n", "A1\n\n2\nA3\n", "B1\n\n2\nB3\n")
    found = parse(merged)
    assert [found.line_before(i) for i in range(2)] == ["", "2"]


def test_a_side_that_removed_the_lines_is_an_empty_version():
    merged, conflict = merge_text("a\nold\nz\n", "a\nz\n", "a\nnew\nz\n")
    assert conflict
    (hunk,) = parse(merged).hunks
    assert (hunk.one, hunk.other) == ("", "new\n")


def test_extra_words_on_a_mark_are_kept_as_labels():
    body = f"{OPEN} laptop 21:30\nx\n{MIDDLE}\ny\n{CLOSE} desktop 22:05\n"
    (hunk,) = parse(body).hunks
    assert (hunk.one_label, hunk.other_label) == ("laptop 21:30", "desktop 22:05")


def test_a_closing_mark_without_a_final_newline_still_closes():
    (hunk,) = parse(f"{OPEN}\nx\n{MIDDLE}\ny\n{CLOSE}").hunks
    assert (hunk.one, hunk.other) == ("x\n", "y\n")


@pytest.mark.parametrize("body", [
    # git's own marks, as a person might paste them
    "<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> branch\n",
    # sync's marks, pasted inside a fence (the example in docs/sync.md)
    f"Notes:\n```\n{OPEN}\nwhat the laptop wrote\n{MIDDLE}\nwhat the desktop wrote\n"
    f"{CLOSE}\n```\n",
    f"~~~~ text\n{OPEN}\nx\n{MIDDLE}\ny\n{CLOSE}\n~~~~\n",
    # half a hunk
    f"{OPEN}\nx\n{MIDDLE}\ny\n",
    f"{OPEN}\nx\n{CLOSE}\n",
    # two middles: which one divides the versions cannot be told (either can underline)
    f"{OPEN}\nTitle\n{MIDDLE}\nx\n{MIDDLE}\ny\n{CLOSE}\n",
    # indented: code, or a quote of marks, not sync's
    f"    {OPEN}\n    x\n    {MIDDLE}\n    y\n    {CLOSE}\n",
    f"{OPEN}x\nx\n{MIDDLE}\ny\n{CLOSE}\n",
])
def test_marks_a_person_typed_are_text_and_left_alone(body):
    found = parse(body)
    assert found.hunks == []
    assert found.resolve([]) == body


def test_a_fence_closed_before_a_real_hunk_does_not_hide_it():
    body = f"```\n{OPEN}\nin code\n```\n\n{OPEN}\nx\n{MIDDLE}\ny\n{CLOSE}\n"
    found = parse(body)
    assert [h.one for h in found.hunks] == ["x\n"]
    assert found.resolve([Choice.OTHER]) == f"```\n{OPEN}\nin code\n```\n\ny\n"


def test_marks_nested_by_three_machines_are_decided_inner_pair_first():
    ab, _ = merge_text("a\nx\nz\n", "a\nA\nz\n", "a\nB\nz\n")
    abc, conflict = merge_text("a\nx\nz\n", ab, "a\nC\nz\n")
    assert conflict
    inner = parse(abc)
    assert [(h.one, h.other) for h in inner.hunks] == [("A\n", "B\n")]
    assert inner.line_before(0) == "a"  # not the outer pair's opening mark
    outer = parse(inner.resolve([Choice.ONE]))
    assert [(h.one, h.other) for h in outer.hunks] == [("A\n", "C\n")]
    assert outer.resolve([Choice.OTHER]) == "a\nC\nz\n"


def test_a_body_without_marks_is_one_part():
    assert parse("plain\n").parts == ("plain\n",)
    assert parse("").parts == ()


lines = st.lists(st.sampled_from(["a", "b", "c", "", "=======", "# t", "```"]), max_size=6)


@given(base=lines, a=lines, b=lines)
def test_every_conflict_the_merge_writes_reads_back_and_decides_to_a_body_without_marks(
        base, a, b):
    """Unless a side itself holds a middle mark or a fence (then the body is left as
    text, for the person to edit), a merge's conflict reads back as hunks, and keeping
    both sides everywhere leaves every word and no mark."""
    texts = ["".join(f"{x}\n" for x in t) for t in (base, a, b)]
    merged, conflict = merge_text(*texts)
    if "=======" in a + b or "```" in base + a + b:
        return
    found = parse(merged)
    assert bool(found.hunks) == conflict
    resolved = found.resolve([Choice.BOTH] * len(found.hunks))
    assert OPEN not in resolved and CLOSE not in resolved
    assert sorted(resolved.splitlines()) == sorted(
        line for line in merged.splitlines() if line not in (OPEN, MIDDLE, CLOSE))


# -- which machine wrote which side (issue 18) ------------------------------------------------
def test_a_side_label_is_the_name_and_the_time_saved_in_english_whatever_the_locale():
    from journal.core.model.conflicts import side_label

    assert side_label("laptop", "2026-12-03T21:40:07+01:00", 2026) == "laptop, Thu 3 Dec 21:40"
    assert side_label("desktop", "2026-12-04T07:15:00", 2026) == "desktop, Fri 4 Dec 07:15"
    assert side_label("old", "2025-12-31T23:59:00", 2026) == "old, Wed 31 Dec 2025 23:59"
    assert side_label("laptop", "not a time", 2026) == "laptop"
    assert side_label(" \n ", "2026-12-03T21:40:00", 2026) == ""


def test_labelled_marks_are_read_with_each_side_s_machine():
    from journal.core.model.conflicts import machine_of, side_label

    one = side_label("laptop", "2026-12-03T21:40:00", 2026)
    other = side_label("the desk, upstairs", "2026-12-04T07:15:00", 2026)
    merged, _ = merge_text("a\nbase\nz\n", "a\nmine\nz\n", "a\ntheirs\nz\n", (one, other))
    assert merged == (f"a\n{OPEN} laptop, Thu 3 Dec 21:40\nmine\n{MIDDLE}\ntheirs\n"
                      f"{CLOSE} the desk, upstairs, Fri 4 Dec 07:15\nz\n")
    (hunk,) = parse(merged).hunks
    assert (hunk.one, hunk.other) == ("mine\n", "theirs\n")
    assert (machine_of(hunk.one_label), machine_of(hunk.other_label)) == (
        "laptop", "the desk, upstairs")
    assert machine_of("") == machine_of("typed by hand") == ""


HOSTILE = ["lap\ntop", ">>>>>>> other version", "\n=======\n", "<<<<<<< one version "
           "(merged by sync)\n", "a\u2028b\u2029c", "x\r>>>>>>> other version", "\x1b[2J\x85",
           "```", "[bold red]boo[/]", "n" * 500]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_name_with_line_breaks_or_marks_in_it_cannot_break_the_hunk(name):
    from journal.core.model.conflicts import NAME_MAX, clean_name, machine_of, side_label

    label = side_label(name, "2026-12-03T21:40:00", 2026)
    merged, _ = merge_text("a\nbase\nz\n", "a\nmine\nz\n", "a\ntheirs\nz\n", (label, label))
    assert len(merged.splitlines()) == 7  # a, three marks, two sides, z: no line added
    found = parse(merged)
    (hunk,) = found.hunks
    assert (hunk.one, hunk.other) == ("mine\n", "theirs\n")
    assert found.resolve([Choice.BOTH]) == "a\nmine\ntheirs\nz\n"
    shown = clean_name(name)
    assert machine_of(hunk.one_label) == machine_of(hunk.other_label) == shown
    assert len(shown) <= NAME_MAX and "\n" not in shown and "\x1b" not in shown


@given(st.text(max_size=60), st.text(max_size=60))
def test_any_names_leave_the_hunk_and_the_text_around_it_exact(name_a, name_b):
    from journal.core.model.conflicts import side_label

    labels = (side_label(name_a, "2026-12-03T21:40:00", 2026),
              side_label(name_b, "2026-12-04T07:15:00", 2026))
    merged, _ = merge_text("a\nbase\nz\n", "a\nmine\nz\n", "a\ntheirs\nz\n", labels)
    (hunk,) = parse(merged).hunks
    assert (hunk.one, hunk.other) == ("mine\n", "theirs\n")
    assert parse(merged).resolve([Choice.OTHER]) == "a\ntheirs\nz\n"


# -- a version holding a `=======` line ------------------------------------------------------
def test_a_version_holding_a_middle_line_is_divided_by_the_merge_s_own_divider():
    """A Setext heading's underline in one version: the merge writes its own divider, so
    the hunk reads back (it was left as text: which `=======` divided could not be told)."""
    from journal.core.model.conflicts import DIVIDER

    merged, conflict = merge_text("a\nbase\nz\n", "a\nTitle\n=======\nmine\nz\n",
                                  "a\ntheirs\nz\n")
    assert conflict and f"\n{DIVIDER}\n" in merged
    (hunk,) = parse(merged).hunks
    assert (hunk.one, hunk.other) == ("Title\n=======\nmine\n", "theirs\n")
    assert parse(merged).resolve([Choice.ONE]) == "a\nTitle\n=======\nmine\nz\n"


def test_without_a_middle_line_in_either_version_the_marks_are_as_before():
    merged, _ = merge_text("a\nbase\nz\n", "a\nmine\nz\n", "a\ntheirs\nz\n")
    assert f"\n{MIDDLE}\n" in merged and "======= (merged by sync)" not in merged


@pytest.mark.parametrize("body", [
    f"{OPEN}\nx\n======= (merged by sync)\ny\n======= (merged by sync)\nz\n{CLOSE}\n",
    # either `=======` can underline: "Title" a heading, or "mine" one
    f"{OPEN}\nTitle\n{MIDDLE}\nmine\n{MIDDLE}\ntheirs\n{CLOSE}\n",
    # neither underlines a line of text of its own version
    f"{OPEN}\n{MIDDLE}\nx\n\n{MIDDLE}\ny\n{CLOSE}\n",
    # first in its version, it may underline the words kept above the marks
    f"words\n{OPEN}\nx\n{MIDDLE}\n{MIDDLE}\n{CLOSE}\n",
    f"{OPEN}\nx\n{MIDDLE}\n{MIDDLE}\n{MIDDLE}\ny\n{CLOSE}\n",
])
def test_two_dividers_or_bare_middles_that_cannot_be_told_apart_stay_text(body):
    found = parse(body)
    assert found.hunks == [] and found.resolve([]) == body


def _before_dividers(base: str, a: str, b: str) -> str:
    """What the merge wrote before its divider: a bare `=======` between the versions
    whatever they held (such conflicts are still in journals)."""
    from journal.core.sync import merge

    old = merge.MARK_DIVIDER
    merge.MARK_DIVIDER = merge.MARK_MID
    try:
        return merge_text(base, a, b)[0]
    finally:
        merge.MARK_DIVIDER = old


@pytest.mark.parametrize(("a", "b", "one", "other"), [
    # a version ending in a heading: the underline, then the middle
    ("a\nTitle\n=======\nz\n", "a\ntheirs\nz\n", "Title\n=======\n", "theirs\n"),
    # both versions new headings
    ("a\nTitle A\n=======\nz\n", "a\nTitle B\n=======\nz\n", "Title A\n=======\n",
     "Title B\n=======\n"),
    # one side removed the lines, the other wrote a heading and more under it
    ("a\nz\n", "a\nPlan\n=======\nfirst\nz\n", "", "Plan\n=======\nfirst\n"),
])
def test_a_conflict_written_before_the_divider_is_offered_when_one_middle_fits(a, b, one,
                                                                             other):
    """Item 3: before the divider, a version's heading underline made two bare `=======`
    lines and the hunk stayed text. When only one of them can divide the versions so that
    every other underlines a line of text of its own version, the hunk is offered."""
    body = _before_dividers("a\n\nbase\nz\n", a.replace("a\n", "a\n\n", 1),
                            b.replace("a\n", "a\n\n", 1))
    assert body.splitlines().count(MIDDLE) >= 2
    (hunk,) = parse(body).hunks
    assert {hunk.one, hunk.other} == {one, other}
    assert parse(body).resolve([Choice.BOTH]) == "a\n\n" + hunk.one + hunk.other + "z\n"


sided = st.lists(st.sampled_from(["a", "b", "", "=======", "======= (merged by sync)",
                                  "# t"]), max_size=6)


@given(base=sided, a=sided, b=sided)
def test_every_conflict_reads_back_even_when_a_version_holds_middle_lines(base, a, b):
    """Whatever `=======` lines the versions hold, every conflict the merge writes reads
    back as a hunk (one with a divider typed in a version too is left as text), and
    keeping both sides leaves no mark."""
    texts = ["".join(f"{x}\n" for x in t) for t in (base, a, b)]
    merged, conflict = merge_text(*texts)
    if "======= (merged by sync)" in a + b:
        return  # a divider typed in a version: it cannot be told from the merge's
    found = parse(merged)
    assert len(found.hunks) == merged.count(f"{OPEN}\n") and bool(found.hunks) == conflict
    resolved = found.resolve([Choice.BOTH] * len(found.hunks))
    assert OPEN not in resolved and CLOSE not in resolved
    assert "======= (merged by sync)" not in resolved
    for hunk in found.hunks:  # each version whole: no mark in it, no line of it lost
        assert OPEN not in hunk.one + hunk.other and CLOSE not in hunk.one + hunk.other


@given(base=sided, a=sided, b=sided)
def test_a_conflict_written_before_the_divider_is_offered_right_or_left_as_text(base, a, b):
    """When every `=======` line the versions hold underlines a line of text (a Setext
    heading: the case the old format could not divide), a hunk of the old format is
    either left as text or divided where the merge divided it (never at a version's own
    line). (A `=======` line a person typed on its own, after a blank line or first in a
    changed passage, can be read as the middle: docs/sync.md says so.)"""
    texts = ["".join(f"{x}\n" for x in t) for t in (base, a, b)]
    if "======= (merged by sync)" in a + b or not all(
            _underlines_only(t) for t in (base, a, b)):
        return
    new, _ = merge_text(*texts)
    old = _before_dividers(*texts)
    offered, right = parse(old).hunks, parse(new).hunks
    rest = iter(right)  # the old format's hunks: the merge's own, in order, some left out
    assert all(any(hunk == later for later in rest) for hunk in offered)
    plain = [h for h in right if "=======\n" not in h.one + h.other]
    assert all(hunk in offered for hunk in plain)  # only those holding `=======` may be


def _underlines_only(lines: list[str]) -> bool:
    """Whether every `=======` line follows a line of text (one a merge hunk keeps with it
    whatever the other side did: the property test's versions)."""
    return all(i > 0 and lines[i - 1] not in ("", "=======")
               for i, line in enumerate(lines) if line == "=======")
