"""Every sentence reads true and plain at the edges (domain.md §8.6: say n in plain words):
journals built to hit 0, 1 and 2 of something, 100% and 0%, a 0.0 expectation, a single
week, a place with no other moment, a range with nothing, and every text a user reads (each
finding's summary, what is missing, the sentence on chance, the text report) checked
against the shapes a new user found wrong. Each journal is named; each shape too."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import gen
import pytest

from journal.cli.reflect_cmd import render_text
from journal.core.model.entries import Entry, Moment
from journal.core.reflection import reflect_rows, rows_from_entries
from journal.core.reflection.common import about
from journal.core.wording import counted, points

START = date(2026, 3, 2)   # a Monday


def _day(i: int, moments: list[Moment] | None = None, **kw: Any) -> Entry:
    return Entry(date=START + timedelta(days=i), body="", moments=moments or [], **kw)


def _m(kind: str = "contagion", context: str = "work", time: str | None = "10:00", *,
       tags: tuple[str, ...] = (), people: tuple[str, ...] = (), intensity: int = 4,
       action: str | None = None, feelings: tuple[str, ...] = ()) -> Moment:
    return Moment(kind=kind, intensity=intensity, context=context, time=time,
                  tags=list(tags), people=list(people), action=action,
                  feelings=list(feelings))


# -- the journals ---------------------------------------------------------------------------
def one_entry_no_moments():
    return [_day(0)]


def one_moment():
    return [_day(0, [_m(action="withdrew", feelings=("numb",))], sleep=5, recovery=["walk"])]


def a_single_week():
    return [_day(i, [_m(), _m("concern", "home", "20:00")], sleep=6,
                 recovery=["walk"] if i % 2 else [], good_things=["tea"]) for i in range(7)]


def one_day_at_work_that_came_home():
    """Seven entries, only the first with work: a work tag comes home that evening."""
    days = [_day(0, [_m(tags=("handover",)), _m(context="home", time="21:00",
                                                  tags=("handover",))])]
    return days + [_day(i, [_m("concern", "home", "20:00", tags=("kids",))])
                   for i in range(1, 7)]


def came_home_once_among_many():
    days = [_day(i, [_m(tags=("rota",))]) for i in range(20)]
    days[4].moments.append(_m(context="home", time="22:00", tags=("rota",)))
    return days


def came_home_every_work_day():
    return [_day(i, [_m(tags=("rota",)), _m(context="home", time="21:00", tags=("rota",))])
            for i in range(8)]


def work_and_home_share_no_label():
    """Evenings of contagion that share nothing with work: nothing expected by chance."""
    return [_day(i, [_m(tags=("rota",)), _m(context="home", time="21:00", tags=("kids",))])
            for i in range(14)]


def a_tag_alone_in_its_place():
    """Every commute moment is #traffic, all contagion: nothing else there to compare."""
    return [_day(i, [_m(context="commute", time="08:00", tags=("traffic",)),
                     _m("concern", tags=("team",))]) for i in range(10)]


def everything_in_a_place_is_contagion():
    return [_day(i, [_m(tags=("restraint",)), _m(tags=("rota",))]) for i in range(10)]


def no_tag_is_ever_contagion():
    return [_day(i, [_m("concern", tags=("team",)), _m("contagion", "home", "20:00")])
            for i in range(10)]


def sleep_with_no_heavy_day():
    return [_day(i, [_m(intensity=3)], sleep=6) for i in range(16)]


def sleep_with_one_heavy_day():
    days = sleep_with_no_heavy_day()
    days[3].moments[0].intensity = 9
    return days


def sleep_compared():
    return [_day(i, [_m(intensity=9 if i % 3 == 0 else 2)], sleep=3 if i % 3 == 1 else 7)
            for i in range(30)]


def one_activity_on_every_day():
    return [_day(i, [_m(), _m("concern", "home", "20:00")], recovery=["walk"])
            for i in range(20)]


def recovery_on_one_day():
    return [_day(i, [_m()], recovery=["walk"] if i == 5 else []) for i in range(10)]


def a_one_day_stretch():
    return [_day(i, [_m()], recovery=[] if i == 3 else ["walk"]) for i in range(8)]


def few_actions():
    return [_day(i, [_m(action="withdrew" if i < 3 else None)]) for i in range(8)]


def every_action_steps_away():
    return [_day(i, [_m(action="avoided")]) for i in range(8)]


def no_action_steps_away():
    return [_day(i, [_m("concern", action="helped")], good_things=["tea"]) for i in range(8)]


def actions_but_no_help():
    return [_day(i, [_m(action="withdrew")], good_things=["tea"] if i == 2 else [])
            for i in range(8)]


def one_numb_moment_long_ago():
    days = [_day(i, [_m(feelings=("sad",))]) for i in range(40)]
    days[0].moments[0].feelings = ["numb"]
    return days


def a_flat_balance_over_months():
    """The same share every week for 12 weeks: the trend moves by no point."""
    return [_day(i, [_m(), _m("concern", "home", "20:00")]) for i in range(84)]


def balance_all_contagion():
    return [_day(i, [_m()]) for i in range(30)]


JOURNALS: dict[str, Callable[[], list[Entry]]] = {
    f.__name__: f for f in (
        one_entry_no_moments, one_moment, a_single_week, one_day_at_work_that_came_home,
        came_home_once_among_many, came_home_every_work_day, work_and_home_share_no_label,
        a_tag_alone_in_its_place, everything_in_a_place_is_contagion,
        no_tag_is_ever_contagion, sleep_with_no_heavy_day, sleep_with_one_heavy_day,
        sleep_compared, one_activity_on_every_day, recovery_on_one_day, a_one_day_stretch,
        few_actions, every_action_steps_away, no_action_steps_away, actions_but_no_help,
        one_numb_moment_long_ago, a_flat_balance_over_months, balance_all_contagion)}
JOURNALS["empty"] = list

#: Practices (date, minutes, before, after), for the practice finding's edges.
PRACTICES: dict[str, list[tuple[date, int, int | None, int | None]]] = {
    "one_practice_rated": [(START + timedelta(days=2), 5, 7, 4)],
    "two_practices_no_change": [(START + timedelta(days=2), 5, 6, 6),
                                (START + timedelta(days=4), 5, 5, 5)],
    "one_practice_not_rated": [(START + timedelta(days=2), 5, None, None)],
    "practices_down_by_one": [(START + timedelta(days=d), 5, 6, 5) for d in (1, 3, 5)],
}


def _result(name: str) -> dict[str, Any]:
    if name in PRACTICES:
        entries, practices = a_single_week(), PRACTICES[name]
    else:
        entries, practices = JOURNALS[name](), []
    end = START + timedelta(days=120)
    return reflect_rows(rows_from_entries(entries), practices=practices, today=end)


def _texts(result: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, text) for every text a user reads: each finding's summary, what is missing
    and its sentence on chance (in --json and the Reflect screen), and the text report."""
    out = []
    for f in result["findings"]:
        for key in ("summary", "missing", "chance"):
            if f.get(key):
                out.append((f"{f['kind']}.{key}", f[key]))
        out.append((f"{f['kind']}.stats.chance", f["stats"]["chance"]["sentence"]))
    out.append(("text report", " ".join(render_text(result).split())))
    return out


# -- the shapes that read wrong ----------------------------------------------------------------
UNITS = r"(entr(y|ies)|days?|nights?|moments?|weeks?|practices?|activit(y|ies)|times?|points?)"
WRONG: dict[str, re.Pattern[str]] = {
    "an expectation of 0.0": re.compile(r"\b0\.0 "),
    "a count with a needless .0": re.compile(r"\babout \d+\.0 "),
    "100% of other moments": re.compile(r"100% of (the )?other"),
    "a plural after 1": re.compile(rf"(?<![\d.,]){1} (entries|days|nights|moments|weeks|"
                                   r"practices|activities|times|points)\b"),
    "a singular after 0 or 2+": re.compile(r"\b(0|[2-9]|\d\d+) (entry|day|night|moment|week|"
                                           r"practice|activity|time|point)(?!\w| \w*days?\b| of)"),
    "two bare numbers": re.compile(r"\bhas \d+ and \d+\b"),
    "a bare number after has": re.compile(r"\bhas \d+\."),
    "0 of something": re.compile(r"(?<![\d.,])0 " + UNITS),
    "came up 0 times": re.compile(r"\b0 times\b"),
    "none of 0": re.compile(r"\b(none of|of your|of) 0\b(?!-)"),
    "0 of n": re.compile(r"(?<![\d.,%])0 of \d"),
    "n of n": re.compile(r"(?<![\d.,])(\d+) of (your |its )?\1 "),
    "n = in symbols": re.compile(r"\(n ?= ?\d+\)|\bn=\d"),
    "points of 0 or 1": re.compile(r"[+-][01] points\b"),
    "a change by 0": re.compile(r"\bby 0\b|stayed the same by"),
    "none in the last, of what": re.compile(r"\. None in the last"),
    "of your 1": re.compile(r"\bof your 1 \w+"),
    "a label shared, unsaid": re.compile(r"labels work and home share"),
}


def _average_over_one(text: str) -> bool:
    """A sentence with "on average" that rests on one thing."""
    return any("on average" in s and re.search(r"\bone (practice|day|night)\b|\b1 (practice|"
                                               r"day|night)\b", s)
               for s in re.split(r"(?<=\.) ", text))


@pytest.mark.parametrize("name", sorted(JOURNALS) + sorted(PRACTICES))
def test_no_sentence_reads_wrong_at_the_edges(name):
    wrong = [(shape, where, text) for where, text in _texts(_result(name))
             for shape, pattern in WRONG.items() if pattern.search(text)]
    wrong += [("on average over one", where, text) for where, text in _texts(_result(name))
              if _average_over_one(text)]
    assert not wrong, wrong


@pytest.mark.parametrize("seed", range(0, 300, 7))
def test_no_sentence_reads_wrong_in_small_random_journals(seed):
    from test_reflection_golden import fuzz

    entries, kw = fuzz(seed)
    result = reflect_rows(rows_from_entries(entries), **kw)
    for where, text in _texts(result):
        for shape, pattern in WRONG.items():
            assert not pattern.search(text), (shape, where, text)
        assert not _average_over_one(text), (where, text)


# -- each edge says what it counts ------------------------------------------------------------
def _text(name: str, kind: str, key: str = "summary") -> str:
    found = gen.find(_result(name), kind)
    return found.get(key) or ""


SAYS: list[tuple[str, str, str, str]] = [
    # (journal, finding, field, words that must be there)
    ("empty", "balance", "summary", "You noted no contagion or concern moments in this range."),
    ("empty", "balance", "missing", "this range has no day with moments yet."),
    ("empty", "sleep_after_contagion", "missing", "this range has no entries yet."),
    ("empty", "withdrawal", "missing", "this range has no moments yet."),
    ("balance_all_contagion", "balance", "summary", "30 contagion moments and no concern "
                                                    "moments on 30 days (100% contagion)"),
    ("a_flat_balance_over_months", "balance", "summary", "stayed at about 50% from the start"),
    ("one_day_at_work_that_came_home", "spillover", "summary",
     "On your one day with moments at work, contagion came home"),
    ("one_day_at_work_that_came_home", "spillover", "summary", "; it was #handover."),
    ("came_home_once_among_many", "spillover", "summary", "On 1 of your 20 days with moments"),
    ("came_home_once_among_many", "spillover", "summary", "That day was not in the last 7"),
    ("came_home_every_work_day", "spillover", "summary", "On all 8 of your days with moments"),
    ("came_home_every_work_day", "spillover", "summary", "chance alone would give about 8 "
                                                         "such days"),
    ("work_and_home_share_no_label", "spillover", "summary",
     "No evening shared a label with the work of any day of its weekday, so chance alone "
     "would give none."),
    ("a_tag_alone_in_its_place", "triggers", "summary",
     "#traffic (contagion on all 10 of its moments), and no other moment was noted in the "
     "same places to compare it with."),
    ("everything_in_a_place_is_contagion", "triggers", "summary",
     "while every other moment in the same places was contagion."),
    ("no_tag_is_ever_contagion", "triggers", "summary",
     "none of the moments of the tags noted 5 times or more was contagion."),
    ("sleep_with_no_heavy_day", "sleep_after_contagion", "missing",
     "this range has no heavy days and 15 other days like that."),
    ("sleep_with_one_heavy_day", "sleep_after_contagion", "missing",
     "this range has 1 heavy day and 14 other days like that."),
    ("sleep_compared", "sleep_after_contagion", "summary", "On the 10 nights after days when "
                                                           "your contagion reached 7 or more"),
    ("one_activity_on_every_day", "recovery", "missing",
     "the activity noted most, \u201cwalk\u201d, has 19 such days with it and none without"),
    ("recovery_on_one_day", "self_care_gap", "summary", "You noted recovery on 1 of 10 days."),
    ("a_one_day_stretch", "self_care_gap", "summary", "was 1 day, on 2026-03-05."),
    ("few_actions", "withdrawal", "missing", "this range has 3 moments with one."),
    ("every_action_steps_away", "withdrawal", "summary", "in all 8 of your moments with an "
                                                         "action."),
    ("no_action_steps_away", "withdrawal", "summary", "in none of your 8 moments with an "
                                                      "action."),
    ("no_action_steps_away", "good_things", "summary", "good things on all 8 of your days."),
    ("actions_but_no_help", "good_things", "summary", "You noted no concern moments where"),
    ("one_numb_moment_long_ago", "numbness", "summary", "in 1 moment: none in the last 14 "
                                                        "days, none in the 14 days before."),
    ("one_practice_rated", "practice", "summary", "In the one practice you rated before and "
                                                  "after, your activation went down by 3 "
                                                  "points (on a scale of 0-10)."),
    ("two_practices_no_change", "practice", "summary", "your activation stayed the same on "
                                                       "average (on a scale of 0-10)."),
    ("practices_down_by_one", "practice", "summary", "went down on average by 1 point "),
    ("one_practice_not_rated", "practice", "summary", "No practice was rated both before "
                                                      "and after yet."),
    ("one_practice_rated", "practice", "missing", "this range has 1 practice day and 5 "
                                                  "comparable days like that."),
]


@pytest.mark.parametrize(("name", "kind", "key", "words"), SAYS,
                         ids=[f"{n}-{k}-{f}" for n, k, f, _ in SAYS])
def test_each_edge_says_what_its_numbers_count(name, kind, key, words):
    assert words in _text(name, kind, key)


@pytest.mark.parametrize(("value", "said"), [
    (0.0, "no such days"), (0.04, "well under 1 such day"), (0.05, "about 0.1 such days"),
    (0.96, "about 1 such day"), (1.04, "about 1 such day"), (1.5, "about 1.5 such days"),
    (2.0, "about 2 such days")])
def test_an_expected_count_is_said_in_words(value, said):
    assert about(value, "such day") == said


def test_counted_says_no_for_none():
    assert [counted(n, "entry", "entries") for n in (0, 1, 2)] == [
        "no entries", "1 entry", "2 entries"]


@pytest.mark.parametrize(("change", "said"), [
    (0.0, "less than 1 point"), (0.004, "less than 1 point"), (-0.004, "less than 1 point"),
    (0.01, "+1 point"), (-0.012, "-1 point"), (0.06, "+6 points"), (-0.255, "-26 points"),
])
def test_points_never_says_zero_or_one_points(change, said):
    """One wording for a share's change, in the balance finding and the app's chart note."""
    assert points(change) == said
