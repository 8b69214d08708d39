"""The practice toward concern (issue 17, domain.md §4d, §5): its steps in our own short
words, and `PracticeRun`, which records what a person took of them. The Textual screen
(journal.ui.screens.practice) and `journal practice` (journal.cli.practice_cmd) both walk
`SCRIPT`; neither has words of its own.

Wording rules (tested in tests/core/test_practice_script.py): no diagnostic words, no
"should", no promise of an outcome; "research suggests this may help", no more (domain.md
§8.8). Every step can be skipped. Nothing typed during a practice is kept: only which steps
were taken, how long the timer ran and the two 0-10 ratings (journal.core.model.practice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from journal.core.model.practice import STEPS, Practice


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    """One of journal.core.model.practice.STEPS."""
    title: str
    lines: tuple[str, ...]
    rating: str | None = None
    """The 0-10 question of this step (land: before, close: after), if it asks one."""


TITLE = "A short practice toward concern"
INTRO = ("A few quiet steps, a minute or two in all. Skip any of them, or stop at any time. "
         "Research suggests this may help; it is not a treatment.")
#: The one line the write screen shows after a heavy contagion moment is saved.
OFFER = "That was heavy. A two-minute practice? p starts it; any other key carries on."
OFFER_KEY = "p"
DONE = ("Kept with the moment: the steps you took and your two ratings. "
        "Nothing you thought during the practice was written down.")

SCRIPT: tuple[Step, ...] = (
    Step("land", "Land", (
        "Notice where you are: the seat under you, your feet, one slow breath out.",
        "The moment is over. You are here now.",
    ), rating="How activated do you feel right now? 0 is settled, 10 is as stirred up as it "
              "gets."),
    Step("theirs_and_mine", "Theirs and mine", (
        "Bring the moment to mind, without its details.",
        "What in it belonged to them: their situation, their feelings, their story?",
        "What is yours: your reaction, your role, the part of it that was your work today?",
        "You can care about what is theirs without carrying it as your own.",
    )),
    Step("warmth_self", "Warmth toward yourself first", (
        "Offer yourself a few quiet wishes, in your own words. For example:",
        "may I be at ease; may I be kind to myself in this work.",
        "If it feels awkward, that is common. A few breaths with it is enough.",
    )),
    Step("widening", "Widening", (
        "Let the same wishes reach someone close to you.",
        "Then, if it feels right, the person in the moment: may you be safe; may you find "
        "some ease.",
        "If this is too much tonight, come back to yourself. That is part of the practice "
        "too.",
    )),
    Step("next_step", "One next step within your role", (
        "If care, rather than distress, were choosing: what is one small next step within "
        "your role?",
        "A note for tomorrow, a word with a colleague or supervisor, or nothing tonight are "
        "all fine answers.",
        "What is beyond your role can rest with the team, the service, or tomorrow.",
    )),
    Step("close", "Close", (
        "Let the work rest here for tonight.",
    ), rating="How activated do you feel now? 0 is settled, 10 is as stirred up as it gets."),
)
assert tuple(s.name for s in SCRIPT) == STEPS

#: The calm timer's choices, in minutes (0: no timer).
TIMER_MINUTES = (1, 2, 3, 4, 5)
TIMER_TEXT = "Stay with your breath for a while if you like. Any key ends the timer early."
#: One slow breath of the timer's quiet visual: in, then a longer out (seconds).
BREATH_IN, BREATH_OUT = 4.0, 6.0


#: Each step as a kept practice names it (`describe`): short, in words, not the record's ids.
STEP_WORDS = {"land": "land", "theirs_and_mine": "theirs and mine", "warmth_self": "warmth",
              "widening": "widening", "next_step": "next step", "close": "close"}
assert tuple(STEP_WORDS) == STEPS


def describe(practice: Practice) -> str:
    """'2 min, 6 of 6 steps, activation 8 -> 5' or '... 2 of 6 steps (land, theirs and
    mine) ...': a kept practice in one line (journal show, the browse preview, the write
    screen's moment list)."""
    taken = ", ".join(STEP_WORDS[s] for s in practice.steps)
    parts = [f"{practice.minutes} min" if practice.minutes else "no timer",
             f"{len(practice.steps)} of {len(STEPS)} steps"
             + (f" ({taken})" if 0 < len(practice.steps) < len(STEPS) else "")]
    if practice.before is not None or practice.after is not None:
        shown = ["-" if r is None else str(r) for r in (practice.before, practice.after)]
        parts.append(f"activation {shown[0]} -> {shown[1]}")
    return ", ".join(parts)


def every_text() -> list[str]:
    """Every sentence a practice shows (for the wording tests and the docs)."""
    out = [TITLE, INTRO, OFFER, DONE, TIMER_TEXT]
    for step in SCRIPT:
        out += [step.title, *step.lines]
        if step.rating:
            out.append(step.rating)
    return out


@dataclass
class PracticeRun:
    """What one practice took: the steps (kept in script order), the ratings, the minutes
    the timer ran. `result()` is the record to keep, or None when nothing was taken."""

    taken: list[str] = field(default_factory=list)
    before: int | None = None
    after: int | None = None
    minutes: int = 0

    def take(self, step: Step, rating: int | None = None) -> None:
        if step.name not in self.taken:
            self.taken.append(step.name)
            self.taken.sort(key=STEPS.index)
        if rating is not None:
            if not 0 <= rating <= 10:
                raise ValueError("a rating is 0-10")
            if step.name == "land":
                self.before = rating
            elif step.name == "close":
                self.after = rating

    def timed(self, minutes: int) -> None:
        self.minutes = max(0, min(60, self.minutes + minutes))

    def result(self) -> Practice | None:
        if not self.taken and not self.minutes:
            return None
        return Practice(self.minutes, tuple(self.taken), self.before, self.after)


@dataclass(frozen=True)
class CalmTimer:
    """A timer of 1-5 minutes read against an injected clock: how much is left and where
    in a slow breath the quiet visual is (no sound, nothing else)."""

    started: datetime
    minutes: int

    @property
    def ends(self) -> datetime:
        return self.started + timedelta(minutes=self.minutes)

    def remaining(self, now: datetime) -> timedelta:
        return max(timedelta(0), self.ends - now)

    def done(self, now: datetime) -> bool:
        return now >= self.ends

    def elapsed_minutes(self, now: datetime) -> int:
        """Whole minutes run, rounded to the nearest (at least 1 once started)."""
        seconds = (min(now, self.ends) - self.started).total_seconds()
        return max(1, round(seconds / 60))

    def breath(self, now: datetime) -> float:
        """0.0 (empty) to 1.0 (full) along one breath: rising for BREATH_IN seconds, then
        falling for BREATH_OUT."""
        t = (now - self.started).total_seconds() % (BREATH_IN + BREATH_OUT)
        if t < BREATH_IN:
            return t / BREATH_IN
        return 1.0 - (t - BREATH_IN) / BREATH_OUT
