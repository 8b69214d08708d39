"""Deterministic synthetic entries for the benchmark, and the jrnl rendering of them.

`entries(n, seed)` uses the project's own demo generator (`journal.core.demo.generate`)
when it exists, else the small fallback below. `GENERATOR` names which one (and its
version) so cached vaults are rebuilt when the generator changes.
"""

from __future__ import annotations

import hashlib
import inspect
import random
import re
import uuid
from collections import Counter
from datetime import date, datetime, timedelta

from journal.core.model.entries import ACTIONS, CONTEXTS, KINDS, Entry, Moment

FALLBACK_VERSION = "bench-gen-1"
END = date(2026, 11, 24)
BODY_BYTES = 1500
MOMENTS = 3

_TAGS = [
    "night-shift", "triage", "grief", "paperwork", "handover", "family-meeting", "relapse",
    "waitlist", "supervision", "overtime", "code-blue", "discharge", "eviction", "custody",
    "crisis-call", "intake", "home-visit", "court", "restraint", "palliative", "school",
    "funding", "complaint", "staffing", "referral", "overdose", "rounds", "debrief",
    "audit", "training", "new-patient", "follow-up", "phone-line", "shelter", "fall",
    "dementia", "pain", "hospice", "assessment", "team",
]
_PEOPLE = [
    "sam", "ana", "mo", "lee", "jo", "kim", "raj", "eva", "tom", "nia", "ola", "ben", "ivy",
    "max", "zoe", "ali", "dee", "gus", "hana", "ian", "jay", "kai", "lou", "mia", "ned",
    "pat", "quinn", "ray", "sue", "ted", "uma", "vic", "wes", "yan", "zac", "amir", "bea",
    "cal", "dana", "eli",
]
_FEELINGS = ["moved", "tender", "warm", "worried", "upset", "grieved", "numb", "helpless",
             "angry", "relieved", "proud", "grateful", "troubled", "distressed"]
_RECOVERY = ["walk", "swim", "music", "cooking", "friends", "reading", "garden", "yoga",
             "nap", "run"]
_WORDS = [
    "the", "a", "and", "of", "to", "in", "was", "for", "with", "that", "on", "at", "it",
    "as", "by", "this", "from", "about", "after", "before", "again", "long", "shift",
    "patient", "family", "room", "call", "note", "chart", "ward", "corridor", "quiet",
    "noise", "coffee", "tired", "careful", "gentle", "hard", "slow", "quick", "heavy",
    "light", "morning", "evening", "night", "break", "tea", "bus", "train", "rain",
    "window", "door", "hands", "voice", "eyes", "listened", "explained", "waited", "stayed",
    "left", "came", "back", "home", "work", "team", "nurse", "doctor", "client", "daughter",
    "son", "mother", "father", "brother", "sister", "friend", "colleague", "manager",
    "phone", "message", "email", "form", "report", "meeting", "plan", "question", "answer",
    "sorry", "thanks", "tomorrow", "yesterday", "today", "week", "month", "still", "maybe",
    "really", "almost", "enough", "kept", "thought", "felt", "noticed", "remembered",
    "wanted", "needed", "tried", "managed", "finished", "started", "small", "big", "warm",
    "cold", "clear", "messy", "calm", "busy", "empty", "full", "late", "early", "careful",
    "steady",
]
_RARE = ["lighthouse", "harmonica", "origami", "avalanche", "marmalade", "telescope"]


def _rng_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(8, 18))
    if rng.random() < 0.02:
        words.insert(rng.randrange(len(words)), rng.choice(_RARE))
    return " ".join(words).capitalize() + "."


def _body(rng: random.Random, body_bytes: int) -> str:
    title = " ".join(rng.choices(_WORDS, k=rng.randint(3, 6))).capitalize()
    mentions = [f"#{t}" for t in rng.sample(_TAGS, rng.randint(1, 3))]
    mentions += [f"@{p}" for p in rng.sample(_PEOPLE, rng.randint(0, 2))]
    paragraphs: list[str] = []
    size = len(title) + 3
    current: list[str] = []
    while size < body_bytes:
        sentence = _sentence(rng)
        if mentions and rng.random() < 0.3:
            sentence = sentence[:-1] + f" with {mentions.pop()}."
        current.append(sentence)
        size += len(sentence) + 1
        if len(current) >= rng.randint(3, 6):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    if mentions:
        paragraphs.append("Also: " + " ".join(mentions))
    return f"# {title}\n\n" + "\n\n".join(paragraphs)


def _moment(rng: random.Random, day: date) -> Moment:
    return Moment(
        kind=rng.choice(KINDS), intensity=rng.randint(0, 10), context=rng.choice(CONTEXTS),
        time=f"{rng.randint(6, 23):02d}:{rng.randrange(0, 60, 5):02d}",
        tags=rng.sample(_TAGS, rng.randint(1, 2)),
        people=rng.sample(_PEOPLE, rng.randint(0, 1)),
        feelings=rng.sample(_FEELINGS, rng.randint(0, 2)),
        action=rng.choice((None, *ACTIONS)), note=_sentence(rng), id=_rng_uuid(rng),
    )


def fallback_generate(n_entries: int, seed: int, start: date | None = None,
                      body_bytes: int = BODY_BYTES, moments: int = MOMENTS) -> list[Entry]:
    rng = random.Random(seed)
    start = start or END - timedelta(days=n_entries - 1)
    out: list[Entry] = []
    for i in range(n_entries):
        day = start + timedelta(days=i)
        out.append(Entry(
            date=day, body=_body(rng, body_bytes),
            written_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=21, minutes=30),
            sleep=rng.choice((None, *range(11))), energy=rng.randint(0, 10),
            recovery=rng.sample(_RECOVERY, rng.randint(0, 2)),
            good_things=[_sentence(rng) for _ in range(rng.randint(0, 2))],
            moments=[_moment(rng, day) for _ in range(moments)], id=_rng_uuid(rng),
        ))
    return out


def _demo():
    try:
        from journal.core import demo
    except ImportError:
        return None
    return getattr(demo, "generate", None)


def generator_name() -> str:
    """Which generator is used, and a hash of its source, for the cache key."""
    demo = _demo()
    if demo is None:
        return FALLBACK_VERSION
    source = inspect.getsource(inspect.getmodule(demo))
    return "demo-" + hashlib.sha256(source.encode()).hexdigest()[:10]


def entries(n_entries: int, seed: int = 8) -> list[Entry]:
    demo = _demo()
    if demo is None:
        return fallback_generate(n_entries, seed)
    start = END - timedelta(days=n_entries - 1)
    return list(demo(n_entries, seed, start=start, body_bytes=BODY_BYTES, moments=MOMENTS))


# -- choosing the query terms from the data ---------------------------------------------------
_TAG_RE = re.compile(r"(?<![\w&#/])#([^\W_][\w-]*)")
_WORD_RE = re.compile(r"\b[a-z]{6,}\b")


def pick_terms(items: list[Entry]) -> dict[str, object]:
    """A tag in about 5% of entries and a word in about 2%: selective queries, like real ones."""
    tag_df: Counter[str] = Counter()
    word_df: Counter[str] = Counter()
    for e in items:
        tags = {t.lower() for t in _TAG_RE.findall(e.body)}
        for m in e.moments:
            tags.update(m.tags)
        tag_df.update(tags)
        text = _TAG_RE.sub(" ", e.body).lower().rsplit(None, 1)[0]  # the last word may be cut
        word_df.update(set(_WORD_RE.findall(text)))
    for name in tag_df:  # a word that is also a tag would match its tags too
        word_df.pop(name, None)
    n = max(len(items), 1)
    tag = min(tag_df, key=lambda t: (abs(tag_df[t] / n - 0.05), t))
    word = min(word_df, key=lambda w: (abs(word_df[w] / n - 0.02), w))
    return {"tag": tag, "tag_entries": tag_df[tag], "word": word, "word_entries": word_df[word]}


# -- jrnl's plain-text format -----------------------------------------------------------------
JRNL_TIMEFORMAT = "%Y-%m-%d %H:%M"


def to_jrnl_text(items: list[Entry]) -> str:
    """The same entries as jrnl text: '[date] title' then the body, moments as lines that
    carry their #tags and @people (jrnl's tagsymbols '#@'), oldest first as jrnl keeps them."""
    chunks: list[str] = []
    for e in sorted(items, key=lambda x: x.date):
        stamp = (e.written_at or datetime.combine(e.date, datetime.min.time()))
        lines = e.body.splitlines()
        title = lines[0].lstrip("#").strip() if lines else ""
        rest = "\n".join(lines[1:])
        moment_lines = [
            f"- {m.kind} {m.intensity} {m.context} {m.time or ''} "
            + " ".join([f"#{t}" for t in m.tags] + [f"@{p}" for p in m.people])
            + f": {m.note}"
            for m in e.moments
        ]
        chunks.append(f"[{stamp.strftime(JRNL_TIMEFORMAT)}] {title}\n{rest}\n"
                      + "\n".join(moment_lines) + "\n")
    return "\n".join(chunks)
