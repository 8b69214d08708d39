"""Each finding recovers ONE planted pattern among noise (precision and recall against the
planted ground truth) and stays silent on the same noise without it."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import gen
import pytest

from journal.core.model.entries import Entry
from journal.core.reflection import reflect, rows_from_entries

SEEDS = (1, 2, 3)


def _reflect(entries, **kw):
    return reflect(entries, today=entries[-1].date, **kw)


# -- balance -----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_balance_recovers_a_planted_drift_toward_concern(seed):
    # 52 weeks; the contagion probability falls from 0.7 to 0.3: -0.4 over ~51 weeks.
    entries = gen.noise(364, seed, p_contagion=lambda t: 0.7 - 0.4 * t)
    found = gen.find(_reflect(entries), "balance")
    assert found["status"] == "ok"
    expected = -0.4 / 51
    assert found["stats"]["trend_per_week"] == pytest.approx(expected, abs=0.003)
    assert found["stats"]["first_weeks_share"] > found["stats"]["last_weeks_share"]
    assert found["notable"]
    assert "toward concern" in found["summary"]


@pytest.mark.parametrize("seed", SEEDS)
def test_balance_is_flat_without_drift(seed):
    found = gen.find(_reflect(gen.noise(364, seed, p_contagion=0.5)), "balance")
    assert found["stats"]["trend_per_week"] == pytest.approx(0.0, abs=0.003)


def test_balance_trend_is_not_called_notable_on_flat_noise():
    by_trend = 0
    for seed in range(1, 41):
        found = gen.find(_reflect(gen.noise(364, seed, p_contagion=0.5)), "balance")
        by_trend += found["notable"] and not found["stats"]["recent"]["flag"]
    assert by_trend <= 2


def test_balance_flags_a_recent_surge_of_contagion():
    entries = gen.noise(70, 3, p_contagion=0.4)
    for entry in entries[-7:]:
        for m in entry.moments:
            m.kind = "contagion"
    found = gen.find(_reflect(entries), "balance")
    recent = found["stats"]["recent"]
    assert recent["flag"] and found["notable"]
    assert recent["last_7_days_share"] == 1.0
    assert gen.evidence_dates(found) == {e.date for e in entries[-7:] if e.moments}
    assert "In the last 7 days contagion outweighed concern" in found["summary"]


def test_balance_weeks_are_exact_iso_week_counts():
    entries = gen.noise(60, 5)
    expected: Counter = Counter()
    for e in entries:
        iso = e.date.isocalendar()
        for m in e.moments:
            expected[(f"{iso.year}-W{iso.week:02d}", m.kind)] += 1
    weeks = gen.find(_reflect(entries), "balance")["stats"]["weeks"]
    assert [w["week"] for w in weeks] == sorted({k[0] for k in expected})
    for w in weeks:
        assert w["contagion"] == expected[(w["week"], "contagion")]
        assert w["concern"] == expected[(w["week"], "concern")]


# -- spillover ---------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_spillover_recovers_planted_days(seed):
    entries = gen.noise(140, seed)
    truth = gen.plant_spillover(entries, seed + 10)
    assert len(truth) >= 15
    found = gen.find(_reflect(entries), "spillover")
    precision, recall = gen.precision_recall(gen.evidence_dates(found), truth)
    assert precision >= 0.9 and recall >= 0.9
    assert found["stats"]["days"] == len(found["evidence"])


def test_contagion_at_home_about_home_only_triggers_is_not_spillover():
    entries = gen.noise(140, 7, p_home=0.9, p_contagion=0.9)
    assert sum(1 for e in entries for m in e.moments if m.context != "work") > 100
    found = gen.find(_reflect(entries), "spillover")
    assert found["status"] == "ok"
    assert found["stats"]["days"] == 0 and found["evidence"] == []
    assert not found["notable"]


def test_spillover_order_within_the_day_late_shifts_and_the_night():
    entries = gen.noise(30, 8, p_home=0.0)
    monday = next(e for e in entries if e.date.weekday() == 0)
    tag = monday.moments[0].tags[0]
    rng = gen.random.Random(0)
    monday.moments[0].time = "10:00"

    def days(**kw):
        return gen.find(_reflect(entries, **kw), "spillover")["stats"]["days"]

    # Before the work moment that day: anticipation, not spillover.
    monday.moments.append(gen.moment(rng, "contagion", "home", 7 * 60, tags=[tag]))
    assert days() == 0
    # A late shift: a work moment at 19:30 is still work, not work following you home.
    monday.moments.append(gen.moment(rng, "contagion", "work", 19 * 60 + 30, tags=[tag]))
    assert days() == 0
    # 01:00 in the same entry is that night: after the day's work.
    night = gen.moment(rng, "contagion", "home", 60, tags=[tag])
    monday.moments.append(night)
    assert days() == 1
    monday.moments.remove(night)
    # Concern at home about work is shown apart, never counted as spillover.
    monday.moments.append(gen.moment(rng, "concern", "home", 20 * 60, tags=[tag]))
    found = gen.find(_reflect(entries), "spillover")
    assert found["stats"]["days"] == 0 and found["stats"]["concern_days"] == 1
    assert "not counted here" in found["summary"]


def test_spillover_untimed_work_ends_at_the_work_end():
    entries = gen.noise(30, 8, p_home=0.0)
    monday = next(e for e in entries if e.date.weekday() == 0)
    for m in monday.moments:
        m.time = None
    monday.moments.append(gen.moment(gen.random.Random(1), "contagion", "home", 19 * 60,
                                     tags=[monday.moments[0].tags[0]]))
    assert gen.find(_reflect(entries), "spillover")["stats"]["days"] == 1
    assert gen.find(_reflect(entries, work_end="20:00"), "spillover")["stats"]["days"] == 0


def test_a_family_member_noted_at_work_and_at_home_is_not_a_work_trigger():
    entries = gen.noise(60, 12, p_home=0.0)
    rng = gen.random.Random(3)
    workdays = [e for e in entries if e.date.weekday() < 5]
    for e in workdays[::6]:    # a phone call about mum at work now and then
        e.moments.append(gen.moment(rng, "concern", "work", 12 * 60, people=["mum"]))
    for e in entries[::2]:     # mum at home on many evenings
        e.moments.append(gen.moment(rng, "contagion", "home", 20 * 60, people=["mum"]))
    found = gen.find(_reflect(entries), "spillover")
    assert found["stats"]["days"] == 0, found["stats"]["labels"]


def test_spillover_days_never_exceed_the_days_with_work():
    for seed in (1, 2, 3):
        entries = gen.noise(120, seed, p_home=0.9)
        gen.plant_spillover(entries, seed, rate=0.9)
        for e in entries[::3]:   # late shifts with work tags
            e.moments.append(gen.moment(gen.random.Random(seed), "contagion", "work",
                                        21 * 60, tags=["discharge"]))
        stats = gen.find(_reflect(entries), "spillover")["stats"]
        assert 0 < stats["days"] <= stats["work_days"]


def test_spillover_does_not_reach_across_a_missing_day():
    entries = gen.noise(30, 9, p_home=0.0)
    friday = next(e for e in entries if e.date.weekday() == 4)
    sunday = next(e for e in entries if e.date > friday.date and e.date.weekday() == 6)
    saturday = next(e for e in entries if e.date > friday.date and e.date.weekday() == 5)
    sunday.moments.append(gen.moment(gen.random.Random(1), "contagion", "home", 8 * 60,
                                     tags=[friday.moments[0].tags[0]]))
    entries.remove(saturday)
    assert gen.find(_reflect(entries), "spillover")["stats"]["days"] == 0


# -- triggers ----------------------------------------------------------------------------------
# Standing out is a statistical call (5% family-wise), so precision and recall are measured
# over many independent datasets, not asserted as certainties on one.
MANY = range(1, 41)


def test_triggers_rank_the_planted_tag_first_and_alone():
    # over 100 datasets, as `make calibrate` counts (issue 12 asks recall >= 0.9 there; with
    # every tag taking an equal share of the alpha it was 0.89)
    found_planted = flagged_other = first = 0
    for seed in range(1, 101):
        entries = gen.noise(140, seed)
        tag = gen.plant_trigger(entries, seed + 20, n=30)
        found = gen.find(_reflect(entries), "triggers")
        rows = found["stats"]["tags"]
        first += rows[0]["tag"] == tag  # a rare tag on few moments can rank above it
        shares = [r["contagion_share"] for r in rows]
        assert shares == sorted(shares, reverse=True)
        assert all(r["moments"] >= 5 for r in rows)
        found_planted += tag in found["stats"]["standing_out"]
        flagged_other += len(set(found["stats"]["standing_out"]) - {tag})
        if tag in found["stats"]["standing_out"]:
            days_with_tag = {e.date for e in entries if any(
                tag in m.tags and m.kind == "contagion" for m in e.moments)}
            assert days_with_tag <= gen.evidence_dates(found)
    recall = found_planted / 100
    precision = found_planted / (found_planted + flagged_other)
    assert recall >= 0.9 and precision >= 0.9
    assert first >= 0.9 * 100


def test_a_tags_share_of_the_alpha_follows_its_moments_not_its_kinds():
    from journal.core.reflection.days import build_days
    from journal.core.reflection.triggers import triggers

    entries = gen.noise(140, 3)
    gen.plant_trigger(entries, 23, n=30)
    days = build_days(rows_from_entries(entries), None, None)
    found, chances = triggers(days)
    rows = found["stats"]["tags"]
    assert [c.weight for c in chances] == [r["moments"] for r in rows]
    flipped = [Entry.from_dict(e.to_dict()) for e in entries]
    for entry in flipped:   # every kind turned over: the weights stay
        for m in entry.moments:
            m.kind = "concern" if m.kind == "contagion" else "contagion"
    _, again = triggers(build_days(rows_from_entries(flipped), None, None))
    assert sorted(c.weight for c in again) == sorted(c.weight for c in chances)


def test_triggers_silent_without_a_planted_tag():
    flagged = 0
    for seed in MANY:
        found = gen.find(_reflect(gen.noise(140, seed)), "triggers")
        assert found["status"] == "ok"
        flagged += len(found["stats"]["standing_out"])
        if not found["stats"]["standing_out"]:
            assert found["summary"].startswith("No tag stood out") and not found["notable"]
    # 5% family-wise error per dataset, by design: about 2 of 40 datasets; allow 15%.
    assert flagged <= 0.15 * len(MANY)


# -- sleep -------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_sleep_after_heavy_days_recovers_the_planted_drop(seed):
    entries = gen.noise(140, seed)
    truth = gen.plant_sleep_drop(entries, drop=3)
    found = gen.find(_reflect(entries), "sleep_after_contagion")
    stats = found["stats"]
    assert found["status"] == "ok" and found["notable"]
    assert stats["after_other"] - stats["after_high"] == pytest.approx(3, abs=0.8)
    assert stats["n_high"] == len(truth)
    assert gen.evidence_dates(found) == truth
    assert "7 or more" in stats["heavy_day_definition"]


@pytest.mark.parametrize("seed", SEEDS)
def test_sleep_same_in_both_groups_reports_no_difference(seed):
    found = gen.find(_reflect(gen.noise(140, seed)), "sleep_after_contagion")
    assert found["status"] == "ok"
    assert abs(found["stats"]["difference"]) < 1.5 and not found["notable"]
    assert "Nothing here stands out beyond chance" in found["summary"]
    assert "could easily be chance" in found["chance"]


def test_sleep_is_taken_from_the_next_days_entry():
    entries = gen.noise(60, 4, sleep_sd=0.0, sleep_mean=6)
    days = gen.by_date(entries)
    heavy = gen.heavy_days(entries)
    for d in heavy:  # the sleep recorded ON a heavy day is the night before it
        days[d].sleep = 1
    expected = [days[d + timedelta(days=1)].sleep for d in sorted(heavy)
                if d + timedelta(days=1) in days]
    assert 1 < sum(expected) / len(expected) < 6  # some heavy days follow heavy days
    stats = gen.find(_reflect(entries), "sleep_after_contagion")["stats"]
    assert stats["n_high"] == len(expected)
    assert stats["after_high"] == pytest.approx(sum(expected) / len(expected), abs=0.01)


# -- recovery ----------------------------------------------------------------------------------
def _compared(entries, planted):
    """Planted days that enter the comparison: the next day has contagion/concern moments."""
    days = gen.by_date(entries)
    return {d for d in planted if (nxt := days.get(d + timedelta(days=1))) and nxt.moments}


def test_recovery_finds_the_planted_activity_only():
    found_planted = flagged_other = 0
    for seed in MANY:
        entries = gen.noise(140, seed)
        planted = gen.plant_recovery(entries, seed + 30, activity="yoga")
        found = gen.find(_reflect(entries), "recovery")
        rows = {r["activity"]: r for r in found["stats"]["activities"]}
        yoga = rows["yoga"]
        assert yoga["next_day_contagion_share"] < yoga["baseline_contagion_share"]
        assert yoga["days"] == len(_compared(entries, planted))
        found_planted += yoga["stands_out"]
        flagged_other += sum(r["stands_out"] for a, r in rows.items() if a != "yoga")
        if yoga["stands_out"]:
            assert found["stats"]["activities"][0]["activity"] == "yoga"
            assert gen.evidence_dates(found) >= _compared(entries, planted)
    assert found_planted / len(MANY) >= 0.9
    assert found_planted / (found_planted + flagged_other) >= 0.9


def test_recovery_silent_on_noise():
    flagged = 0
    for seed in MANY:
        found = gen.find(_reflect(gen.noise(140, seed)), "recovery")
        assert found["status"] == "ok"
        flagged += sum(r["stands_out"] for r in found["stats"]["activities"])
    assert flagged <= 0.15 * len(MANY)


def test_recovery_counts_alike_with_many_distinct_lists_of_activities():
    """Each activity's days are picked per distinct list of activities (a byte a day); past
    256 distinct lists, a look-up per day. Both give the plain definition: the days before
    a day with moments that list the activity (listed once or twice, in any order), and
    the mean of those next days' contagion shares."""
    rng = random.Random(4)
    activities = ("walk", "music", "yoga", "friends", "cooking", "reading", "swim", "garden")
    entries = gen.noise(800, 4)
    for e in entries:
        e.recovery = rng.sample(activities, rng.randint(0, 6))
        if e.recovery and rng.random() < 0.1:
            e.recovery.append(e.recovery[0])   # listed twice
    in_order = [e.copy() for e in entries]
    for e in in_order:
        e.recovery = sorted(set(e.recovery))
    assert len({tuple(e.recovery) for e in entries}) > 400   # a look-up per day
    assert len({tuple(e.recovery) for e in in_order}) <= 256   # a byte a day
    by_day = gen.by_date(entries)
    expected = {}
    for activity in activities:
        shares = []
        for e in entries:
            nxt = by_day.get(e.date + timedelta(days=1))
            kinds = Counter(m.kind for m in nxt.moments) if nxt else Counter()
            if activity in e.recovery and kinds["contagion"] + kinds["concern"]:
                shares.append(kinds["contagion"] / (kinds["contagion"] + kinds["concern"]))
        expected[activity] = (len(shares), round(sum(shares) / len(shares), 3))
    for listed in (entries, in_order):
        rows = gen.find(_reflect(listed), "recovery")["stats"]["activities"]
        assert {r["activity"]: (r["days"], r["next_day_contagion_share"])
                for r in rows} == expected


# -- self-care gap -----------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_self_care_gap_recovers_the_planted_stretch(seed):
    entries = gen.noise(140, seed)
    first, last = gen.plant_gap(entries, 50, 15)
    found = gen.find(_reflect(entries), "self_care_gap")
    longest = found["stats"]["longest"]
    truth = {e.date for e in entries[50:65]}
    precision, recall = gen.precision_recall(gen.evidence_dates(found), truth)
    assert precision >= 0.9 and recall == 1.0
    assert date.fromisoformat(longest["from"]) <= first
    assert date.fromisoformat(longest["to"]) >= last
    assert longest["days"] == len(found["evidence"]) and found["notable"]


def test_self_care_gap_is_short_on_noise_and_a_missing_day_ends_it():
    entries = gen.noise(140, 1)
    assert gen.find(_reflect(entries), "self_care_gap")["stats"]["longest"]["days"] < 7
    gen.plant_gap(entries, 50, 15)
    entries[49].recovery = entries[65].recovery = ["music"]
    del entries[57]  # a day with no entry: we know nothing about it
    longest = gen.find(_reflect(entries), "self_care_gap")["stats"]["longest"]
    assert longest["days"] == 7
    assert longest["from"] == entries[50].date.isoformat()
