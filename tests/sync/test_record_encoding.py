"""A push builds each record's JSON around the bytes every revision's id already hashed
(`Revision.record_json`, `record.encode_with`) instead of encoding every entry again: the
bytes must be exactly those of encoding the whole payload, for any content."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.demo import generate
from journal.core.sync import record
from journal.core.sync.revisions import Revision, content_of

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=12)
_CONTENT = st.none() | st.dictionaries(_TEXT, _JSON, max_size=6)
_AUTHOR = st.none() | st.tuples(_TEXT, _TEXT)
_REVS = st.lists(st.builds(Revision.make, _TEXT, st.lists(_TEXT, max_size=3), _CONTENT,
                           _AUTHOR), max_size=4)


@settings(max_examples=300, deadline=None)
@given(_REVS, st.dictionaries(st.sampled_from(["seq", "machine", "prev", "time", "epoch",
                                               "retire", "aaa", "zzz"]), _JSON, max_size=6))
def test_a_record_built_around_encoded_revisions_is_the_same_bytes(revs, payload):
    whole = record.encode({**payload, "revs": [r.to_json() for r in revs]})
    assert record.encode_with(payload, "revs", [r.record_json() for r in revs]) == whole


def test_the_same_for_real_entries():
    revs = [Revision.make(e.date.isoformat(), ["ab" * 16], content_of(e))
            for e in generate(5, seed=9, body_bytes=400)]
    payload = {"seq": 3, "machine": "m", "prev": "00", "time": "2026-03-01T10:00:00"}
    assert record.encode_with(payload, "revs", [r.record_json() for r in revs]) == \
        record.encode({**payload, "revs": [r.to_json() for r in revs]})


def test_strings_the_encoder_would_escape_are_escaped():
    for odd in ['say "hi"', "back\\slash", "tab\there", "del\x7f", "été", "\u2028", "",
                "2026-03-01"]:
        rev = Revision.make(odd, [odd], {"body": odd})
        assert rev.record_json() == record.encode(rev.to_json())
        signed = Revision.make(odd, [odd], {"body": odd}, (odd + ">>>>>>>\n", odd))
        assert signed.record_json() == record.encode(signed.to_json())


def test_an_author_is_part_of_the_id_and_comes_back_from_a_record_and_the_state():
    entry = {"id": "e1", "date": "2026-12-03", "body": "x"}
    plain = Revision.make("2026-12-03", [], entry)
    signed = Revision.make("2026-12-03", [], entry, ("laptop", "2026-12-03T21:40:00"))
    assert plain.by is None and signed.id != plain.id
    import json
    back = Revision.from_json(json.loads(signed.record_json()))
    assert back == signed and back.by == ("laptop", "2026-12-03T21:40:00")
    assert Revision.from_canonical(signed.id, json.loads(signed.canonical())).by == signed.by
    assert Revision.from_json(json.loads(plain.record_json())).by is None
