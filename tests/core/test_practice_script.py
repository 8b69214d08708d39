"""Issue 17: the practice's words and the check-in's (no diagnostic words, no "should", no
promise of an outcome), the record a run keeps, the calm timer, and the support rule."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from journal.core.care import practice_script as script
from journal.core.care import safety
from journal.core.model.practice import STEPS, Practice
from journal.core.reflection.common import FORBIDDEN_WORDS

DIAGNOSTIC = (*FORBIDDEN_WORDS, "trauma", "disorder", "symptom", "diagnos", "depress",
              "anxiety", "illness", "patholog", "dysfunction")
PROMISES = (r"\bwill (help|feel|make|fix|calm|heal|reduce)", r"\bguarantee", r"\bcure",
            r"\bproven\b", r"\bheal", r"\bfixes\b", r"\bworks\b", r"\balways helps")
SHOULD = (r"\bshould\b", r"\bmust\b", r"\bought to\b", r"\bhave to\b", r"\bneed to\b")


def _texts() -> list[str]:
    return [*script.every_text(), safety.CHECK_IN_QUESTION, safety.CHECK_IN_NOTE,
            safety.SEALED_CANNOT_COUNT, safety.AFTER_MERGE,
            *safety.CHECK_IN_LABELS.values()]


@pytest.mark.parametrize("text", _texts())
def test_no_diagnosis_no_should_no_promise(text):
    lowered = text.lower()
    for word in DIAGNOSTIC:
        assert not re.search(rf"\b{word}", lowered), (word, text)
    for pattern in (*PROMISES, *SHOULD):
        assert not re.search(pattern, lowered), (pattern, text)


def test_the_claim_is_research_suggests_it_may_help_and_no_more():
    assert "research suggests this may help" in script.INTRO.lower()
    assert sum("research" in t.lower() for t in _texts()) == 1


def test_the_script_is_the_six_steps_in_order_with_two_ratings():
    assert tuple(s.name for s in script.SCRIPT) == STEPS
    assert [s.name for s in script.SCRIPT if s.rating] == ["land", "close"]
    assert all(1 <= len(s.lines) <= 4 for s in script.SCRIPT)  # a few lines each


def test_a_run_keeps_steps_in_order_and_ratings():
    run = script.PracticeRun()
    assert run.result() is None  # nothing taken, nothing kept
    land, theirs, *_, close = script.SCRIPT
    run.take(close, 3)
    run.take(land, 8)
    run.take(theirs)
    run.take(theirs)
    run.timed(2)
    assert run.result() == Practice(2, ("land", "theirs_and_mine", "close"), 8, 3)
    with pytest.raises(ValueError):
        run.take(land, 11)


def test_the_calm_timer_follows_the_clock_given():
    start = datetime(2026, 11, 25, 21, 30)
    timer = script.CalmTimer(start, 2)
    assert timer.remaining(start) == timedelta(minutes=2) and not timer.done(start)
    assert timer.breath(start) == 0.0
    assert timer.breath(start + timedelta(seconds=script.BREATH_IN)) == 1.0
    assert 0.0 < timer.breath(start + timedelta(seconds=7)) < 1.0
    later = start + timedelta(minutes=2, seconds=1)
    assert timer.done(later) and timer.remaining(later) == timedelta(0)
    assert timer.elapsed_minutes(later) == 2
    assert timer.elapsed_minutes(start + timedelta(seconds=20)) == 1


@pytest.mark.parametrize("check_in, earlier, expected", [
    ("not_safe", [], True),
    ("not_safe", ["ok", "ok"], True),
    ("struggling", ["struggling", "struggling"], True),
    ("struggling", ["struggling", "struggling", "ok"], True),
    ("struggling", ["struggling"], False),
    ("struggling", ["struggling", "ok"], False),
    ("struggling", ["struggling", None], False),
    ("ok", ["struggling", "struggling"], False),
    (None, ["struggling", "struggling"], False),
])
def test_the_support_rule(check_in, earlier, expected):
    assert safety.needs_support(check_in, earlier) is expected
