"""The compact moment syntax of `journal add -m` (documented in docs/cli.md).

    KIND INTENSITY CONTEXT [HH:MM] [#tag ...] [@person ...] [~feeling ...] [!action] [: note]

    -m 'contagion 7 work 14:30 #yelling @sam ~worried ~upset !withdrew: stayed at my desk'
    -m 'conc 4 home ~warm: thought of the family again'
    -m 'c 5 w #handover'

Examples use single quotes: bash and zsh expand `!` inside double quotes (history).

Words may come in any order; each is recognised by its shape. The words and their one-letter
keys are the app's (journal.core.model.vocabulary): KIND is `contagion` or `concern` (c, k,
or a prefix: `cont`, `conc`); INTENSITY is 0-10; CONTEXT is work, commute, home or elsewhere
(w, c, h, e, or a prefix); ACTION is approached, helped, withdrew or avoided (a, h, w, v). As
in the app's form, `c` is the kind until a kind is given, then the context: `c 5 w` is
contagion at work, `k 5 c` concern on the commute. The note is everything after the first
colon that is followed by a space (so 14:30 is a time, not a note).
"""

from __future__ import annotations

import re

from journal.core.errors import ValidationError
from journal.core.model.entries import ACTIONS, CONTEXTS, KINDS, Moment, normalise_label
from journal.core.model.vocabulary import ACTION_KEYS, CONTEXT_KEYS, KIND_KEYS, expand

_NOTE_SPLIT = re.compile(r":(?:\s|$)")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
EXAMPLE = 'contagion 7 work 14:30 #yelling @sam ~worried !withdrew: stayed at my desk'


def parse_moment(spec: str, where: str = "moment") -> Moment:
    """One `-m` value -> a Moment, or ValidationError saying what is wrong and how to fix it."""
    match = _NOTE_SPLIT.search(spec)
    head, note = (spec[:match.start()], spec[match.end():].strip()) if match else (spec, "")
    kind = intensity = context = time = action = None
    tags: list[str] = []
    people: list[str] = []
    feelings: list[str] = []

    def fail(message: str) -> ValidationError:
        return ValidationError(f"{message} (example: -m '{EXAMPLE}')", where=where)

    for word in head.split():
        sigil, rest = word[0], word[1:]
        if sigil in "#@~!" and not rest:
            raise fail(f"'{sigil}' needs a word right after it")
        if sigil == "#":
            tags.append(normalise_label(rest))
        elif sigil == "@":
            people.append(normalise_label(rest))
        elif sigil == "~":
            feelings.append(normalise_label(rest))
        elif sigil == "!":
            found = expand(rest, ACTION_KEYS)
            if found is None:
                raise fail(f"'!{rest}' is not an action: use {', '.join(ACTIONS)}")
            action = found
        elif word.isdigit():
            if intensity is not None:
                raise fail(f"two intensities ({intensity} and {word})")
            if not 0 <= int(word) <= 10:
                raise fail(f"intensity {word} is out of range: use 0-10")
            intensity = int(word)
        elif _TIME.match(word):
            hours, minutes = _TIME.match(word).groups()  # type: ignore[union-attr]
            time = f"{int(hours):02d}:{minutes}"
        elif kind is None and (found := expand(word, KIND_KEYS, 4)) is not None:
            kind = found
        elif (found := expand(word, CONTEXT_KEYS)) is not None:
            if context not in (None, found):
                raise fail(f"two places ({context} and {found}); one moment has one context")
            context = found
        elif (found := expand(word, KIND_KEYS, 4)) is not None:
            raise fail(f"two kinds ({kind} and {found}); one moment has one kind")
        else:
            raise fail(f"'{word}' is not a kind, intensity, context, time, #tag, @person, "
                       "~feeling or !action; put words of a note after ': '")
    if kind is None:
        raise fail(f"say the kind first: {' or '.join(KINDS)}")
    if intensity is None:
        raise fail("give an intensity from 0 to 10")
    if context is None:
        raise fail(f"say where it happened: {', '.join(CONTEXTS)}")
    return Moment.from_dict({
        "kind": kind, "intensity": intensity, "context": context, "time": time,
        "tags": tags, "people": people, "feelings": feelings, "action": action, "note": note,
    }, where=where)


def format_moment(moment: Moment) -> str:
    """The compact form of a moment; `parse_moment(format_moment(m))` gives it back."""
    words = [moment.kind, str(moment.intensity), moment.context]
    if moment.time:
        words.append(moment.time)
    words += [f"#{t}" for t in moment.tags]
    words += [f"@{p}" for p in moment.people]
    words += [f"~{f}" for f in moment.feelings]
    if moment.action:
        words.append(f"!{moment.action}")
    text = " ".join(words)
    return f"{text}: {moment.note}" if moment.note else text
