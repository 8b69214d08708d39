"""Every sentence true and humane (issue 12, domain.md §8): each sentence once seen in
`journal reflect` output that was false, contradictory or interpreting is impossible here,
and no finding uses a clinical word."""

from __future__ import annotations

import re
from datetime import date, timedelta

import gen
import pytest
from jsonwalk import strings_in

from journal.cli.reflect_cmd import render_text
from journal.core.demo import generate_year
from journal.core.model.entries import Entry, Moment
from journal.core.reflection import FORBIDDEN_WORDS, reflect, reflect_rows
from journal.core.reflection.simulate import SCENARIOS, null_year

END = date(2026, 12, 4)


def _many_results():
    yield reflect(generate_year(date(2026, 11, 25)), today=date(2026, 11, 25))
    entries = gen.noise(140, 8, p_action=0.8, p_away=0.7)
    gen.plant_spillover(entries)
    gen.plant_trigger(entries)
    gen.plant_sleep_drop(entries)
    gen.plant_recovery(entries)
    yield reflect(entries)
    yield reflect([])
    yield reflect(gen.noise(10, 9))
    for scenario in SCENARIOS:
        rows = null_year(2, scenario, end=END)
        yield reflect_rows(rows, today=END)
        yield reflect_rows(rows, since=END - timedelta(days=27), until=END)


BANNED = re.compile(r"\b(" + "|".join(
    re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w)
    for w in FORBIDDEN_WORDS) + r")\b", re.I)


def test_the_banned_list_covers_the_clinical_words():
    for word in ("depressed", "depression", "trauma", "traumatic", "traumatised", "anxiety",
                 "symptom", "symptoms", "disorder", "diagnosis", "diagnosed", "burnout",
                 "PTSD", "compassion fatigue", "you have", "caused"):
        assert BANNED.search(f"a {word} here"), word
    assert not BANNED.search("You noted concern; the range has 3 days.")


def test_no_finding_uses_a_banned_word():
    for result in _many_results():
        for f in result["findings"]:
            for text in strings_in(f):
                assert not BANNED.search(text), (f["kind"], text)


def test_the_text_names_no_internal_kind_and_says_what_is_marked():
    for result in _many_results():
        out = render_text(result)
        for f in result["findings"]:
            assert f"({f['kind']})" not in out
            if "_" in f["kind"]:
                assert f["kind"] not in out
        marked = [f for f in result["findings"] if f["notable"]]
        if marked:
            assert "● stands out beyond chance: " in " ".join(out.split())
        else:
            assert "Nothing in this range stands out beyond chance." in out
        assert out.count("Marked ●.") == len(marked)
        ok = sum(1 for f in result["findings"] if f["status"] == "ok")
        assert out.count("Not marked.") == ok - len(marked)


def test_every_ok_finding_carries_its_n_and_one_sentence_on_chance():
    for result in _many_results():
        for f in result["findings"]:
            assert isinstance(f["n"], int) and f["n"] >= 0
            assert f["chance"].count(".") >= 1 and "\n" not in f["chance"]
            if f["status"] == "ok" and f["kind"] != "good_things":
                assert ("chance" in f["chance"]), f["chance"]
            if f["notable"]:
                assert "unlikely" in f["chance"] and re.search(r"\d", f["chance"])


def test_spillover_never_counts_more_days_than_days_at_work():
    # seen: "On 103 days (of 86 days with moments at work)"
    for result in _many_results():
        stats = gen.find(result, "spillover")["stats"]
        assert stats["days"] <= stats["work_days"]


def test_recovery_missing_message_counts_the_recovery_that_was_noted():
    # seen: "this range has 0 and no recovery activity noted" with recovery on 209 days
    entries = gen.noise(60, 3, p_activity=0.0)
    for e in entries:
        e.recovery = ["walk"]
    entries = entries[::2]   # no day is followed by the next calendar day
    found = gen.find(reflect(entries), "recovery")
    assert found["status"] == "insufficient"
    assert "no recovery activity noted" not in found["missing"]
    assert f"recovery noted on {len(entries)} days" in found["missing"]
    assert "this range has no such days" in found["missing"]


def test_recovery_names_the_activity_as_a_label():
    # seen: "after you noted run"
    entries = gen.noise(140, 4)
    gen.plant_recovery(entries, 5, activity="run")
    text = gen.find(reflect(entries), "recovery")["summary"]
    assert "noted run" not in text and "\u201crun\u201d" in text


def test_the_balance_direction_never_contradicts_its_numbers():
    # seen: "moved -3.1 points a week (toward concern): 29% in the first 2 weeks, 35% ..."
    pattern = re.compile(r"from about (\d+)% at the start of this range to about (\d+)% at "
                         r"its end \(([+-]\d+) points\)")
    seen = 0
    drifting = reflect(gen.noise(364, 2, p_contagion=lambda t: 0.3 + 0.3 * t))
    for result in [*_many_results(), drifting]:
        summary = gen.find(result, "balance")["summary"]
        found = pattern.search(summary)
        if not found:
            continue
        seen += 1
        start, end, change = map(int, found.groups())
        assert abs((end - start) - change) <= 1
        if "toward concern" in summary:
            assert end < start
        if "toward contagion" in summary:
            assert end > start
    assert seen >= 5


def test_no_week_counts_that_a_range_contradicts():
    # seen: "over 5 weeks" under "Last 4 weeks", and "in the first 1 week"
    for result in _many_results():
        for f in result["findings"]:
            for text in (f["summary"], f.get("missing", ""), f["chance"]):
                assert not re.search(r"\bover \d+ weeks\b", text), text
                assert not re.search(r"\b1 weeks\b|\bfirst 1 week\b", text), text


def test_fields_never_used_are_not_used_yet_not_zeros():
    # seen: "good things on 0 of 324 days"
    entries = [Entry(date=date(2026, 3, 1) + timedelta(days=i), body="",
                     moments=[Moment("concern", 4, "work", tags=["team"])]) for i in range(30)]
    result = reflect(entries)
    text = " ".join(s for f in result["findings"] for s in (f["summary"], f.get("missing", "")))
    assert "good things on 0" not in text
    for field in ("Good things", "Sleep ratings", "Recovery activities", "Actions on moments",
                  "Feeling words"):
        assert f"{field}: not used yet" in text, field


def test_withdrawal_never_interprets_a_rare_step_away():
    # seen: "Wanting to step away is a signal of strain, not a failing" at 1 of 13
    entries = gen.noise(40, 5, p_action=1.0, p_away=0.0)
    actions = [m for e in entries for m in e.moments][:13]
    actions[0].action = "withdrew"
    found = gen.find(reflect(entries), "withdrawal")
    assert "signal of strain" not in found["summary"]
    assert "not a failing" not in found["summary"]


def test_numbness_names_all_three_feelings():
    # seen: "feeling numb or cynical" leaving out detached-from-them
    entries = gen.noise(40, 6)
    entries[3].moments[0].feelings = ["detached-from-them"]
    found = gen.find(reflect(entries), "numbness")
    assert "numb, cynical or detached from them" in found["summary"]
    assert found["stats"]["moments"] == 1


@pytest.mark.parametrize("kind", ["sleep_after_contagion", "self_care_gap", "numbness"])
def test_closing_words_only_when_marked(kind):
    closing = {"sleep_after_contagion": "not a cause",
               "self_care_gap": "what around work made it hard",
               "numbness": "supervisor or a peer"}[kind]
    for result in _many_results():
        f = gen.find(result, kind)
        assert (closing in f["summary"]) == f["notable"], f["summary"]
