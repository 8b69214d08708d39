"""`make calibrate`: how often the reflection marks a finding (●) on years where nothing is
related to anything, per finding and scenario, and how well it finds planted patterns
(issue 12; docs/reflection.md carries the table).

    python -m bench.calibrate [YEARS] [PLANTED]

YEARS simulated null years per scenario (default 1000) are reflected over the whole year
and over the default 4-week range; YEARS // 10 simulated users look at the 4-week range
once a week for 13 weeks. PLANTED datasets (default 100) per planted pattern come from
tests/gen.py, the planted-pattern tests' own generator.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from journal.core.reflection import KINDS, reflect, reflect_rows
from journal.core.reflection.simulate import SCENARIOS, null_year, weekly_looks

END = date(2026, 12, 4)
ALL_KINDS = (*KINDS, "withdrawal", "numbness")


def marked(result: dict) -> set[str]:
    return {f["kind"] for f in result["findings"] if f["notable"]}


def null_table(years: int) -> list[tuple[str, str, int, Counter[str], int]]:
    """(scenario, range, years, marks per finding, years with any mark)."""
    out = []
    for scenario in SCENARIOS:
        whole: Counter[str] = Counter()
        recent: Counter[str] = Counter()
        any_whole = any_recent = 0
        for seed in range(years):
            rows = null_year(seed, scenario, end=END)
            found = marked(reflect_rows(rows, today=END))
            whole.update(found)
            any_whole += bool(found)
            found = marked(reflect_rows(rows, since=END - timedelta(days=27), until=END))
            recent.update(found)
            any_recent += bool(found)
        out.append((scenario, "whole year", years, whole, any_whole))
        out.append((scenario, "last 4 weeks", years, recent, any_recent))
    return out


def weekly_table(users: int) -> list[tuple[str, int, Counter[str], int]]:
    out = []
    for scenario in SCENARIOS:
        kinds: Counter[str] = Counter()
        anyone = 0
        for seed in range(users):
            rows = null_year(10_000 + seed, scenario, end=END)
            seen: set[str] = set()
            for since, until in weekly_looks(END):
                seen |= marked(reflect_rows(rows, since=since, until=until))
            kinds.update(seen)
            anyone += bool(seen)
        out.append((scenario, users, kinds, anyone))
    return out


def planted(n: int) -> list[tuple[str, float, float]]:
    """(pattern, recall, precision) over n planted datasets each (tests/gen.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import gen

    def one(entries):
        return reflect(entries, today=entries[-1].date)

    out = []
    hits = extra = 0   # triggers: the planted tag marked; other tags marked
    for seed in range(1, n + 1):
        entries = gen.noise(140, seed)
        tag = gen.plant_trigger(entries, seed + 20, n=30)
        standing = set(gen.find(one(entries), "triggers")["stats"]["standing_out"])
        hits += tag in standing
        extra += len(standing - {tag})
    out.append(("trigger tag", hits / n, hits / max(1, hits + extra)))
    hits = extra = 0
    for seed in range(1, n + 1):
        entries = gen.noise(140, seed)
        gen.plant_recovery(entries, seed + 30, activity="yoga")
        rows = gen.find(one(entries), "recovery")["stats"]["activities"]
        hits += any(r["stands_out"] for r in rows if r["activity"] == "yoga")
        extra += sum(r["stands_out"] for r in rows if r["activity"] != "yoga")
    out.append(("recovery activity", hits / n, hits / max(1, hits + extra)))
    found = truth = right = 0
    for seed in range(1, n + 1):
        entries = gen.noise(140, seed)
        days = gen.plant_spillover(entries, seed + 10)
        evidence = gen.evidence_dates(gen.find(one(entries), "spillover"))
        found += len(evidence)
        truth += len(days)
        right += len(evidence & days)
    out.append(("spillover days", right / truth, right / max(1, found)))
    for name, kind, make in (
            ("sleep drop of 3 after heavy days", "sleep_after_contagion",
             lambda e, s: gen.plant_sleep_drop(e)),
            ("15-day stretch without recovery", "self_care_gap",
             lambda e, s: gen.plant_gap(e, 50, 15))):
        hits = 0
        for seed in range(1, n + 1):
            entries = gen.noise(140, seed)
            make(entries, seed)
            hits += gen.find(one(entries), kind)["notable"]
        out.append((name, hits / n, 1.0))
    hits = 0
    for seed in range(1, n + 1):
        entries = gen.drift(seed)
        hits += gen.find(one(entries), "balance")["notable"]
    out.append(("year-long drift of 10 points toward concern", hits / n, 1.0))
    return out


def main(argv: list[str]) -> None:
    years = int(argv[0]) if argv else 1000
    n_planted = int(argv[1]) if len(argv) > 1 else 100
    started = time.perf_counter()
    print(f"Null years: share of years with a mark (●), {years} years per row\n")
    print("| scenario | range | any ● | " + " | ".join(ALL_KINDS) + " |")
    print("|---|---|---|" + "---|" * len(ALL_KINDS))
    for scenario, span, n, kinds, anyone in null_table(years):
        cells = " | ".join(f"{kinds[k] / n:.1%}" for k in ALL_KINDS)
        print(f"| {scenario} | {span} | **{anyone / n:.1%}** | {cells} |")
    users = max(10, years // 10)
    print(f"\nWeekly looks (4-week range, 13 weeks): share of users who see any ●, "
          f"{users} users per row\n")
    print("| scenario | any ● | " + " | ".join(ALL_KINDS) + " |")
    print("|---|---|" + "---|" * len(ALL_KINDS))
    for scenario, n, kinds, anyone in weekly_table(users):
        cells = " | ".join(f"{kinds[k] / n:.1%}" for k in ALL_KINDS)
        print(f"| {scenario} | **{anyone / n:.1%}** | {cells} |")
    print(f"\nPlanted patterns ({n_planted} datasets each, tests/gen.py)\n")
    print("| pattern | recall | precision |\n|---|---|---|")
    for name, recall, precision in planted(n_planted):
        print(f"| {name} | {recall:.2f} | {precision:.2f} |")
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
