"""The contract of `reflect`: the JSON shape, the range, minimum data, wording guardrails."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import gen
import pytest
from jsonwalk import strings_in

from journal.core.demo import generate_year
from journal.core.errors import ValidationError
from journal.core.reflection import EXTRA_KINDS, KINDS, reflect

REQUIRED_STATS = {
    "balance": {"weeks", "trend_per_week"},
    "spillover": {"days"},
    "triggers": {"tags"},
    "sleep_after_contagion": {"after_high", "after_other", "n_high", "n_other",
                              "heavy_day_definition"},
    "recovery": {"activities"},
    "self_care_gap": {"longest"},
}


def test_shape_order_and_required_stats():
    result = reflect(gen.noise(140, 1), today=date(2026, 6, 1))
    assert set(result) == {"range", "entries", "moments", "findings", "not_a_diagnosis",
                           "support"}
    assert "not a diagnosis" in result["not_a_diagnosis"]
    assert "journal support" in result["support"]["pointer"]
    assert "988" in result["support"]["text"]
    assert result["entries"] == 140
    assert result["moments"] == sum(len(e.moments) for e in gen.noise(140, 1))
    kinds = [f["kind"] for f in result["findings"]]
    assert kinds[:6] == list(KINDS) and kinds[6:] == list(EXTRA_KINDS)
    for f in result["findings"]:
        assert {"kind", "title", "summary", "stats", "evidence", "status", "n",
                "chance"} <= set(f)
        assert isinstance(f["n"], int) and f["chance"].endswith(".")
        assert f["status"] in ("ok", "insufficient")
        assert ("missing" in f) == (f["status"] == "insufficient")
        for item in f["evidence"]:
            assert set(item) == {"date", "entry_id"}
            date.fromisoformat(item["date"])
        assert REQUIRED_STATS.get(f["kind"], set()) <= set(f["stats"])
    json.dumps(result)  # plain JSON types only
    stats = {f["kind"]: f["stats"] for f in result["findings"]}
    assert set(stats["balance"]["weeks"][0]) >= {"week", "contagion", "concern"}
    assert re.fullmatch(r"\d{4}-W\d{2}", stats["balance"]["weeks"][0]["week"])
    assert set(stats["triggers"]["tags"][0]) >= {"tag", "contagion", "concern",
                                                  "contagion_share"}
    assert set(stats["recovery"]["activities"][0]) >= {
        "activity", "days", "next_day_contagion_share", "baseline_contagion_share"}
    assert set(stats["self_care_gap"]["longest"]) == {"from", "to", "days"}


def test_range_filters_entries_and_defaults():
    entries = gen.noise(60, 2)
    first, last = entries[0].date, entries[-1].date
    everything = reflect(entries)
    assert everything["range"] == {"from": first.isoformat(), "to": last.isoformat()}
    later = reflect(entries, today=last + timedelta(days=3))
    assert later["range"]["to"] == (last + timedelta(days=3)).isoformat()
    since, until = first + timedelta(days=10), first + timedelta(days=29)
    part = reflect(entries, since=since, until=until)
    assert part["range"] == {"from": since.isoformat(), "to": until.isoformat()}
    assert part["entries"] == 20
    for f in part["findings"]:
        assert all(since <= date.fromisoformat(e["date"]) <= until for e in f["evidence"])
    with pytest.raises(ValidationError):
        reflect(entries, since=until, until=since)
    with pytest.raises(ValidationError):
        reflect(entries, work_end="6pm")


def test_input_order_does_not_matter():
    entries = gen.noise(90, 3)
    gen.plant_spillover(entries)
    assert reflect(entries) == reflect(list(reversed(entries)))


@pytest.mark.parametrize("n", [0, 1, 5])
def test_below_minimum_every_finding_says_what_is_missing(n):
    result = reflect(gen.noise(n, 4), today=date(2026, 1, 20))
    assert result["entries"] == n
    for f in result["findings"]:
        assert f["status"] == "insufficient", f["kind"]
        assert f["missing"].endswith(".") and len(f["missing"]) > 30
        assert not f["notable"]
        # says how much there is (a number, or "no" in words) and how much is needed
        assert re.search(r"\d", f["missing"]) or (n == 0 and " no " in f["missing"])


def test_sleep_needs_four_days_in_each_group():
    entries = gen.noise(60, 5)
    for e in entries:  # no heavy day at all
        for m in e.moments:
            m.intensity = min(m.intensity, 6)
    found = gen.find(reflect(entries), "sleep_after_contagion")
    assert found["status"] == "insufficient" and found["stats"]["n_high"] == 0
    assert "4 heavy" in found["missing"]


def test_recovery_needs_five_days_with_and_without():
    entries = gen.noise(60, 6, p_activity=0.0)
    for e in entries[:8]:
        e.recovery = ["walk"]
    assert gen.find(reflect(entries), "recovery")["status"] == "ok"
    for e in entries[:8]:
        e.recovery = ["walk"] if e is entries[0] else []
    found = gen.find(reflect(entries), "recovery")
    assert found["status"] == "insufficient"
    assert found["stats"]["activities"][0]["enough_data"] is False


def test_self_care_gap_without_any_recovery_is_insufficient_not_a_gap():
    found = gen.find(reflect(gen.noise(60, 7, p_activity=0.0)), "self_care_gap")
    assert found["status"] == "insufficient"
    assert "recovery" in found["missing"]


def test_no_diagnostic_words_and_house_wording():
    results = [reflect(generate_year(date(2026, 11, 25)), today=date(2026, 11, 25))]
    entries = gen.noise(140, 8, p_action=0.8, p_away=0.7)
    gen.plant_spillover(entries)
    gen.plant_trigger(entries)
    gen.plant_sleep_drop(entries)
    results += [reflect(entries), reflect([]), reflect(gen.noise(10, 9))]
    forbidden = re.compile(r"\b(burnout|burn-out|compassion fatigue|sts|ptsd|secondary "
                           r"traumatic|diagnos\w*|disorder|you have|caused)\b", re.I)
    for result in results:
        for f in result["findings"]:
            for text in strings_in(f):
                assert not forbidden.search(text), (f["kind"], text)
    summaries = [f["summary"] for r in results for f in r["findings"] if f["status"] == "ok"]
    assert any(s.startswith("You noted") for s in summaries)
    assert any(re.match(r"On (the \d+ )?(days|nights)", s) for s in summaries)


def test_withdrawal_counts_step_away_actions():
    entries = gen.noise(60, 10, p_action=1.0, p_away=0.0)
    found = gen.find(reflect(entries), "withdrawal")
    assert found["stats"]["stepped_away"] == 0 and not found["notable"]
    assert "not a failing" not in found["summary"]   # never added when it is rare
    entries = gen.noise(60, 10, p_action=1.0, p_away=0.8)
    found = gen.find(reflect(entries), "withdrawal")
    away = {e.date for e in entries
            if any(m.action in ("withdrew", "avoided") for m in e.moments)}
    assert gen.evidence_dates(found) == away
    assert found["stats"]["share"] > 0.6
    # A steady level is described, not marked: only a rise beyond chance is.
    assert not found["notable"] and "not a failing" in found["summary"]


def test_withdrawal_rise_in_the_last_two_weeks_is_marked():
    entries = gen.noise(84, 10, p_action=1.0, p_away=0.05)
    for e in entries[-14:]:
        for m in e.moments:
            m.action = "withdrew"
    found = gen.find(reflect(entries), "withdrawal")
    assert found["notable"], found["summary"]
    assert found["stats"]["last_14_days"]["mean_daily_share"] == 1.0
    assert "In 1,000 shuffles of your own days" in found["chance"]


def test_duplicate_dates_are_merged_not_double_counted_as_days():
    entries = gen.noise(20, 11)
    twin = entries[3].copy()
    twin.id = gen._id(gen.random.Random(5))
    result = reflect(entries + [twin])
    assert result["entries"] == 20


def test_good_things_are_counted_from_partial_entries_too():
    # Entries rebuilt from the vault's summaries carry placeholders instead of the text.
    entries = gen.noise(20, 12)
    for e in entries:
        e.good_things = [""] * 2 if e.date.day % 2 else []
    stats = gen.find(reflect(entries), "good_things")["stats"]
    assert stats["days_with_good_things"] == sum(1 for e in entries if e.date.day % 2)
    assert stats["good_things"] == 2 * stats["days_with_good_things"]


def test_bench_reflect_runs_on_generated_entries():
    from journal.core.reflection import bench_reflect

    n, seconds = bench_reflect(60, seed=2)
    assert n == 60 and seconds > 0
