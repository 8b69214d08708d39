"""The compact moment syntax of `journal add -m`."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journal.cli.moment_syntax import format_moment, parse_moment
from journal.core.errors import ValidationError
from journal.core.model.entries import ACTIONS, CONTEXTS, KINDS, Moment


def test_the_documented_example():
    m = parse_moment("contagion 7 work 14:30 #yelling #child-removal @sam ~worried ~upset "
                     "!withdrew: note text: with a colon")
    assert (m.kind, m.intensity, m.context, m.time, m.action) == (
        "contagion", 7, "work", "14:30", "withdrew")
    assert (m.tags, m.people, m.feelings) == (["yelling", "child-removal"], ["sam"],
                                              ["worried", "upset"])
    assert m.note == "note text: with a colon"


@pytest.mark.parametrize(("spec", "expected"), [
    ("cont 3 w", ("contagion", 3, "work", None)),
    ("conc 0 c 9:05", ("concern", 0, "commute", "09:05")),
    ("home 10 concern", ("concern", 10, "home", None)),
    ("CONTAGION 4 Elsewhere", ("contagion", 4, "elsewhere", None)),
])
def test_abbreviations_and_any_order(spec, expected):
    m = parse_moment(spec)
    assert (m.kind, m.intensity, m.context, m.time) == expected


@pytest.mark.parametrize(("spec", "message"), [
    ("con 3 work", "'con' is not a kind"),
    ("7 work", "say the kind first"),
    ("contagion work", "give an intensity"),
    ("contagion 7", "say where it happened"),
    ("contagion 11 work", "out of range"),
    ("contagion 7 work !x", "is not an action"),
    ("contagion 7 work home", "two places"),
    ("contagion 7 work concern", "two kinds"),
    ("contagion 7 work 3 4", "two intensities"),
    ("contagion 7 work # x", "needs a word"),
    ("contagion 7 work froze", "put words of a note after ': '"),
])
def test_clear_errors(spec, message):
    with pytest.raises(ValidationError) as info:
        parse_moment(spec, where="moment 2")
    text = str(info.value)
    assert message in text and text.startswith("moment 2") and "example: -m" in text


words = st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=1,
                max_size=10).filter(lambda s: s.strip("-"))


@given(st.builds(
    Moment, kind=st.sampled_from(KINDS), intensity=st.integers(0, 10),
    context=st.sampled_from(CONTEXTS),
    time=st.none() | st.times().map(lambda t: t.strftime("%H:%M")),
    tags=st.lists(words, max_size=3, unique=True),
    people=st.lists(words, max_size=3, unique=True),
    feelings=st.lists(words, max_size=3, unique=True),
    action=st.none() | st.sampled_from(ACTIONS),
    note=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40)
    .map(str.strip),
))
def test_format_then_parse_gives_the_moment_back(moment):
    back = parse_moment(format_moment(moment))
    back.id = moment.id
    assert back == moment


@pytest.mark.parametrize(("spec", "kind", "context", "action"), [
    ("c 5 w", "contagion", "work", None),  # issue 14 item 6: was "two places"
    ("k 5 c", "concern", "commute", None),
    ("c 5 c", "contagion", "commute", None),
    ("w 5 c", "contagion", "work", None),
    ("k 3 h !a", "concern", "home", "approached"),
    ("c 8 e !v", "contagion", "elsewhere", "avoided"),
])
def test_the_apps_one_letter_keys_work_here_too(spec, kind, context, action):
    """The app's moment form keys (journal.core.model.vocabulary) mean the same in -m."""
    moment = parse_moment(spec)
    assert (moment.kind, moment.context, moment.action) == (kind, context, action)


def test_the_error_example_is_safe_to_paste_in_bash():
    """Issue 14 item 5: an example in double quotes with `!` fails in bash."""
    with pytest.raises(ValidationError) as info:
        parse_moment("contagion 7 work froze")
    example = str(info.value).split("example: -m ", 1)[1]
    assert example.startswith("'") and "!" in example and '"' not in example
