"""The chance machinery every finding shares (issue 12): is a pattern in the user's own days
larger than what shuffling those same days usually gives?

- The **day** is the unit: a busy day weighs as much as a quiet one, and the moments of one
  day are never treated as independent.
- `shuffle_test` compares a statistic `S = sum(score[i] * value[i])` over the days with the
  same statistic after the values are shuffled among days **of the same weekday** (weekday
  rhythms create no findings). A difference between two groups of days is such a sum (the
  score marks the group), and so is the numerator of a trend's slope (the score is the
  week). With few days it really shuffles (`SHUFFLES` times, seeded from the data, so the
  output is reproducible); with many it uses the shuffle distribution's exact mean and
  spread (a normal approximation that is very close there, and fast on 20-year journals).
- `run_chance`: how often a stretch this long turns up at the user's own rate.
- `count_chance`: how often independent days, each with its own chance, add up to this many.
- `family`: the findings shown together are one family; Benjamini-Hochberg at
  `FAMILY_ALPHA` decides which of them are notable, so noise rarely marks any.
- `Chance.sentence`: the one plain sentence on chance every finding carries.

A new finding computes its per-day values, calls one of these for each thing it checks and
returns the `Chance`s with its finding (`Chance(what)` for a check whose size threshold was
not reached); `reflect_rows` runs the family control over all of them, marks the finding
notable when any of its checks is, and writes the sentence of its strongest check.
"""

from __future__ import annotations

import math
import random
import zlib
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import mul, sub
from statistics import NormalDist

SHUFFLES = 1000          # shuffles of the user's own days per test
FAMILY_ALPHA = 0.05      # Benjamini-Hochberg level over all findings shown together
SHUFFLE_BUDGET = 20_000  # sampled days per test before the exact-moments approximation
_NORMAL = NormalDist()


@dataclass
class Chance:
    """The chance check of one finding. `p` is None when the pattern did not reach the
    finding's own size threshold (then it is not tested and cannot be notable); `as_large`
    of `shuffles` shuffled versions of the user's days gave a result at least this large
    (`approximate`: worked out from the shuffles' exact mean and spread)."""

    what: str                      # "a gap this large", "a stretch this long", ...
    p: float | None = None
    as_large: int = 0
    shuffles: int = SHUFFLES
    approximate: bool = False
    how: str = "shuffles of your own days"
    notable: bool = False          # set by `family`
    counts_only: bool = False      # a finding that only counts and is never marked
    weight: float = 1.0            # its share of the family's alpha (see `family`)

    def sentence(self) -> str:
        if self.counts_only:
            return "These are counts only; they are never marked."
        if self.p is None:
            return "A pattern this small could easily be chance."
        if self.approximate and self.as_large == 0:
            count = "would come up less than once"
        elif self.as_large == 0:
            count = "never came up"
        else:
            verb = "would come up about" if self.approximate else "came up"
            count = f"{verb} {self.as_large:,} {'time' if self.as_large == 1 else 'times'}"
        head = f"In {self.shuffles:,} {self.how}, {self.what} {count}"
        if self.notable:
            return head + ", so chance alone is an unlikely explanation."
        if self.p < FAMILY_ALPHA:
            return head + ("; with several patterns checked at once, that is not rare "
                           "enough to tell from chance.")
        return head + ": this could easily be chance."

    def as_dict(self) -> dict[str, object]:
        return {"p": None if self.p is None else round(self.p, 4),
                "as_large": self.as_large, "shuffles": self.shuffles,
                "approximate": self.approximate, "sentence": self.sentence()}


def untested(what: str) -> Chance:
    return Chance(what)


def seeded(seed: int, name: str) -> random.Random:
    """A generator seeded from the data (`Days.seed`) and the test's name: the same days
    always give the same shuffles, and so the same output."""
    return random.Random(f"{seed}:{name}")


def data_seed(*columns: Sequence[int]) -> int:
    """A stable seed from integer columns (crc32 of their bytes)."""
    crc = 0
    for column in columns:
        crc = zlib.crc32(array("q", column).tobytes(), crc)
    return crc


def shuffle_test(values: Sequence[float], scores: Sequence[float], strata: Sequence[int],
                 rng: random.Random, what: str, *, sides: int = 1) -> Chance:
    """Is S = sum(scores[i] * values[i]) larger (sides=1) or further from its shuffle mean
    (sides=2) than when the values are shuffled among the days of each stratum (weekday)?
    Days are given as parallel lists; only days listed take part."""
    groups: dict[int, list[int]] = defaultdict(list)   # in the order strata first come
    for i, s in enumerate(strata):
        groups[s].append(i)
    observed = _products(values, scores)
    mean = var = 0.0
    cost = 0   # the draws per shuffle: the smaller side of each stratum
    for members in groups.values():
        n = len(members)
        v = list(map(values.__getitem__, members))
        x = list(map(scores.__getitem__, members))
        k = n - x.count(0)   # scored days (a score is false exactly when it equals 0)
        cost += min(k, n - k)
        mv, mx = sum(v) / n, sum(x) / n
        mean += n * mv * mx
        if n > 1:
            var += (sum(map(pow, map(sub, v, repeat(mv)), repeat(2)))
                    * sum(map(pow, map(sub, x, repeat(mx)), repeat(2)))) / (n - 1)
    delta = observed - mean
    if var <= 1e-12:
        return Chance(what, 1.0 if abs(delta) <= 1e-12 else 0.0,
                      SHUFFLES if abs(delta) <= 1e-12 else 0, approximate=True)
    if sides == 1 and delta <= 0:   # not above the shuffles' mean: no need to shuffle
        p = _normal_p(delta / math.sqrt(var), 1)
        return Chance(what, p, round(p * SHUFFLES), approximate=True)
    if cost * SHUFFLES <= SHUFFLE_BUDGET and _indicator(scores):
        hits = _shuffled_indicator(values, scores, groups, rng, observed, mean, sides)
        p = (hits + 1) / (SHUFFLES + 1)
        if not hits:   # beyond every shuffle: the exact-moments tail says how far beyond
            p = min(p, _normal_p(delta / math.sqrt(var), sides))
        return Chance(what, p, hits)
    p = _normal_p(delta / math.sqrt(var), sides)
    return Chance(what, p, round(p * SHUFFLES), approximate=True)


def _products(values: Sequence[float], scores: Sequence[float]) -> float:
    """sum(float(scores[i]) * float(values[i])), in order. When every value is a float
    already, value * score is that same product (IEEE multiplication commutes, and a whole
    score becomes a double the same way), with no float made of each."""
    if set(map(type, values)) == {float}:
        return sum(map(mul, values, scores))
    return sum(map(float.__mul__, map(float, scores), map(float, values)))


def _normal_p(z: float, sides: int) -> float:
    return min(1.0, (1 - _NORMAL.cdf(z if sides == 1 else abs(z))) * sides)


def _indicator(scores: Sequence[float]) -> bool:
    return all(s in (0, 1) for s in scores)


def _shuffled_indicator(values: Sequence[float], scores: Sequence[float],
                        groups: dict[int, list[int]], rng: random.Random, observed: float,
                        mean: float, sides: int) -> int:
    """How many of SHUFFLES shuffles give S at least as extreme: per stratum, the group's
    days are a random sample (the smaller side is drawn; the rest is its complement)."""
    plan = []   # (stratum values, how many to draw, draw the group itself?)
    fixed = 0.0
    for members in groups.values():
        v = [float(values[i]) for i in members]
        k = sum(1 for i in members if scores[i])
        if k == 0:
            continue
        if k == len(v):
            fixed += sum(v)
            continue
        if k <= len(v) - k:
            plan.append((v, k, True, 0.0))
        else:
            plan.append((v, len(v) - k, False, sum(v)))
    rand = rng.random
    target = abs(observed - mean) - 1e-9 if sides == 2 else observed - 1e-9
    hits = 0
    for _ in range(SHUFFLES):
        s = fixed
        for v, k, direct, total in plan:
            n = len(v)
            if k == 1:
                drawn = v[int(rand() * n)]
            else:   # a partial Fisher-Yates shuffle: the first k of a random order
                w = v[:]
                drawn = 0.0
                for j in range(k):
                    r = j + int(rand() * (n - j))
                    w[j], w[r] = w[r], w[j]
                    drawn += w[j]
            s += drawn if direct else total - drawn
        if (abs(s - mean) if sides == 2 else s) >= target:
            hits += 1
    return hits


def run_chance(longest: int, days: int, rate: float, what: str) -> Chance:
    """The chance that `days` independent days, each without the thing with probability
    1 - `rate` (the user's own rate of noting it), hold a stretch of `longest` or more days
    in a row without it (exact, by dynamic programming over the current stretch)."""
    q = 1.0 - rate
    if longest <= 0 or days <= 0:
        return Chance(what, 1.0, SHUFFLES, how="journals at your own rate")
    # state[j]: probability the current stretch is j days long and none reached `longest`
    state = [1.0] + [0.0] * (longest - 1)
    each_q = repeat(q)
    for _ in range(days):
        alive = sum(state)
        if alive < 1e-18:   # 1 - alive is 1.0 exactly from here on: stop early
            break
        state = [alive * rate, *map(mul, state[:-1], each_q)]   # s * q, in C
    p = max(0.0, 1.0 - sum(state))
    return Chance(what, p, round(p * SHUFFLES), approximate=True,
                  how="journals of the same length at your own rate")


def count_chance(observed: int, chances: Sequence[float], what: str) -> Chance:
    """The chance that independent days, day i counting with probability chances[i], count
    `observed` or more (exact for small counts, normal with a continuity correction for
    large ones)."""
    if observed <= 0:
        return Chance(what, 1.0, SHUFFLES)
    expected = sum(chances)
    if observed * len(chances) <= 200_000:
        dist = [1.0] + [0.0] * (observed - 1)   # P(count == j) for j < observed
        for p in chances:
            if p <= 0:
                continue
            keep = 1 - p
            for j in range(observed - 1, 0, -1):
                dist[j] = dist[j] * keep + dist[j - 1] * p
            dist[0] *= keep
        tail = max(0.0, 1.0 - sum(dist))
        return Chance(what, tail, round(tail * SHUFFLES), approximate=True)
    var = sum(p * (1 - p) for p in chances)
    tail = 1 - _NORMAL.cdf((observed - 0.5 - expected) / math.sqrt(var)) if var else 0.0
    return Chance(what, tail, round(tail * SHUFFLES), approximate=True)


def normal_chance(z: float, what: str, how: str) -> Chance:
    """A one-sided chance from a z value."""
    p = _normal_p(z, 1)
    return Chance(what, p, round(p * SHUFFLES), approximate=True, how=how)


def weigh(findings: Sequence[tuple[float, Sequence[Chance]]]) -> list[Chance]:
    """The family of all findings shown together: each finding gets its weight's share of
    the alpha (1 for most), split among its checks in proportion to their own weights, so a
    finding with twenty tags does not crowd out one with a single check."""
    out = []
    for weight, chances in findings:
        tested = [c for c in chances if not c.counts_only]
        total = sum(c.weight for c in tested)
        for c in tested:
            c.weight = weight * c.weight / total
            out.append(c)
    return out


def family(chances: Sequence[Chance], alpha: float = FAMILY_ALPHA) -> float:
    """Weighted Benjamini-Hochberg (Genovese, Roeder & Wasserman 2006) over every check of
    every finding shown together (each tag, each activity, each window; untested ones count
    with p = 1), weights as `weigh` gives them, scaled to add up to the number of checks:
    marks the notable ones and returns the largest p/weight that passed (0 when none did).
    Under pure noise the chance that any is marked is at most about `alpha`."""
    m = len(chances)
    if not m:
        return 0.0
    scale = m / sum(c.weight for c in chances)
    ratio = {id(c): (c.p if c.p is not None else 1.0) / (c.weight * scale) for c in chances}
    bar = -1.0
    for rank, r in enumerate(sorted(ratio.values()), 1):
        if r <= rank * alpha / m:
            bar = r
    for c in chances:
        c.notable = c.p is not None and ratio[id(c)] <= bar
    return max(bar, 0.0)
