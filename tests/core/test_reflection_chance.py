"""The shared chance machinery (journal/core/reflection/chance.py) on its own, so a new
finding can lean on it: shuffles within weekday, the exact chances, the family control."""

from __future__ import annotations

import random
from itertools import product
from math import prod

import pytest

from journal.core.reflection.chance import (
    SHUFFLES,
    Chance,
    count_chance,
    family,
    run_chance,
    seeded,
    shuffle_test,
    weigh,
)


def _days(n: int, seed: int, gap: float = 0.0):
    rng = random.Random(seed)
    group = [1 if rng.random() < 0.3 else 0 for _ in range(n)]
    values = [rng.gauss(5, 1.5) - gap * g for g in group]
    return values, group, [i % 7 for i in range(n)]


def test_a_real_gap_is_found_and_its_count_is_a_real_count():
    values, group, weekday = _days(28, 1, gap=3)
    chance = shuffle_test(values, group, weekday, seeded(1, "t"), "a gap this large", sides=2)
    assert chance.p is not None and chance.p < 0.01
    assert not chance.approximate and chance.shuffles == SHUFFLES   # few days: real shuffles
    count = "never came up" if chance.as_large == 0 else f"came up {chance.as_large:,} time"
    assert f"In 1,000 shuffles of your own days, a gap this large {count}" in chance.sentence()


def test_the_shuffles_are_calibrated_on_noise_and_respect_weekdays():
    small = 0
    for seed in range(600):
        values, group, weekday = _days(28, seed)
        small += shuffle_test(values, group, weekday, seeded(seed, "t"), "a gap",
                              sides=2).p < 0.05
    assert small <= 0.07 * 600   # 5% by design; 6.0% measured over 1,000
    # A weekday rhythm alone: Mondays high, and the group is mostly Mondays.
    weekday = [i % 7 for i in range(70)]
    values = [9.0 if w == 0 else 4.0 for w in weekday]
    group = [1 if w == 0 else 0 for w in weekday]
    chance = shuffle_test(values, group, weekday, seeded(2, "t"), "a gap", sides=2)
    assert chance.p == 1.0 or chance.p > 0.5


def test_the_same_data_give_the_same_shuffles():
    values, group, weekday = _days(40, 3, gap=0.5)
    first = shuffle_test(values, group, weekday, seeded(7, "x"), "a gap")
    again = shuffle_test(values, group, weekday, seeded(7, "x"), "a gap")
    assert (first.p, first.as_large) == (again.p, again.as_large)


def test_many_days_use_the_exact_moments_of_the_shuffles():
    values, group, weekday = _days(3000, 4, gap=0.2)
    chance = shuffle_test(values, group, weekday, seeded(4, "t"), "a gap", sides=2)
    assert chance.approximate and chance.p < 0.01
    assert "would come up" in chance.sentence()


@pytest.mark.parametrize("longest, days, rate", [(3, 6, 0.5), (2, 5, 0.3), (4, 8, 0.6)])
def test_run_chance_is_exact(longest, days, rate):
    brute = 0.0
    for flags in product((0, 1), repeat=days):   # 1: recovery noted that day
        run = best = 0
        for f in flags:
            run = 0 if f else run + 1
            best = max(best, run)
        if best >= longest:
            brute += rate ** sum(flags) * (1 - rate) ** (days - sum(flags))
    assert run_chance(longest, days, rate, "a stretch").p == pytest.approx(brute)


def test_count_chance_is_exact_for_small_counts():
    chances = [0.1, 0.5, 0.2, 0.7]
    brute = sum(prod(p if hit else 1 - p for p, hit in zip(chances, hits, strict=True))
                for hits in product((0, 1), repeat=4) if sum(hits) >= 2)
    assert count_chance(2, chances, "days").p == pytest.approx(brute)


def test_the_family_marks_nothing_on_noise_and_a_strong_check_among_many():
    rng = random.Random(5)
    marked = 0
    for _ in range(500):
        checks = [Chance("x", rng.random()) for _ in range(20)]
        family(weigh([(1.0, checks[:10]), (1.0, checks[10:])]))
        marked += any(c.notable for c in checks)
    assert marked <= 0.07 * 500
    strong = Chance("x", 1e-5)
    others = [Chance("x", 0.5), Chance("x"), Chance("x", 0.9)]
    family(weigh([(1.0, [strong]), (1.0, others)]))
    assert strong.notable and not any(c.notable for c in others)
    assert "chance alone is an unlikely explanation" in strong.sentence()
    assert Chance("x").sentence() == "A pattern this small could easily be chance."
