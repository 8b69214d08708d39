"""The shortcuts `Entry.from_dict` takes for data already in normal form (labels already
normalised, ids already spelled as canonical UUIDs) give exactly what the full rules give,
for any text: the shortcut may only skip work, never change an answer."""

from __future__ import annotations

import re
import sys
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.errors import ValidationError
from journal.core.model.entries import Entry, normalise_label


def _full_rule(value: str) -> str:
    return sys.intern(re.sub(r"\s+", "-", value.strip().lstrip("#@").strip()).lower())


_LABELISH = st.text(alphabet=st.sampled_from(
    list("abcXYZ-_#@ \t\n\u00a0\u2003\u0130\u01c5\u00df\u1e9eéÉ09") + ["\u0345", "\u03a3"]),
    max_size=12)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_LABELISH, st.text(max_size=12)))
def test_a_label_normalises_as_the_full_rule_says(value):
    assert normalise_label(value) == _full_rule(value)


@pytest.mark.parametrize("value", ["grief", "night-shift", "sam", "été", "ß", "4", "",
                                   "#grief", "@Sam", "Night Shift", " triage ", "a\u00a0b",
                                   "ǅ", "İ"])
def test_labels_already_normal_and_not(value):
    assert normalise_label(value) == _full_rule(value)
    assert normalise_label(value) is sys.intern(_full_rule(value))


@pytest.mark.parametrize("spelled", [
    str(uuid.UUID(int=7)), str(uuid.UUID(int=7)).upper(), "{" + str(uuid.UUID(int=7)) + "}",
    "urn:uuid:" + str(uuid.UUID(int=7)), uuid.UUID(int=7).hex])
def test_every_spelling_uuid_accepts_is_still_an_id(spelled):
    entry = Entry.from_dict({"date": "2026-03-01", "id": spelled})
    assert entry.id == spelled


@pytest.mark.parametrize("spelled", ["not-a-uuid", "0000000-0000-0000-0000-000000000007",
                                     "g0000000-0000-0000-0000-000000000007", 7])
def test_an_id_that_is_not_a_uuid_is_refused_with_the_same_words(spelled):
    with pytest.raises(ValidationError, match=re.escape(f"{str(spelled)[:40]!r} is not a UUID")):
        Entry.from_dict({"date": "2026-03-01", "id": spelled})


def test_unknown_keys_keep_their_place_in_the_mapping():
    """Keys this version does not know come back first and in their order, then the known
    ones in theirs: an older export read and written again is the same JSON."""
    moment = {"zeta": 1, "kind": "concern", "intensity": 3, "context": "home",
              "alpha": [2], "id": str(uuid.UUID(int=1))}
    data = {"later": {"x": 1}, "date": "2026-03-01", "id": str(uuid.UUID(int=2)),
            "moments": [moment], "earlier": None, "check_in": "ok"}
    out = Entry.from_dict(data).to_dict()
    assert list(out) == ["later", "earlier", "id", "date", "written_at", "updated_at", "body",
                         "sleep", "energy", "recovery", "good_things", "moments", "check_in"]
    assert list(out["moments"][0]) == ["zeta", "alpha", "id", "kind", "intensity", "context",
                                       "time", "tags", "people", "feelings", "action", "note"]
    assert out["later"] == {"x": 1} and out["moments"][0]["alpha"] == [2]
