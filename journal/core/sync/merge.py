"""The merge of a day's concurrent revisions: three-way, from the common ancestor.

Deterministic: the result depends only on the set of revisions, never on which machine
merges or in which order records arrived, so every machine that has seen the same records
ends with the same entry (convergence). Nothing is lost:

* the body merges line by line (diff3); where both sides changed the same lines, both
  texts are kept between conflict markers and the day is reported as a conflict; each
  mark names the machine that wrote its side and when (the revision's author, sealed in
  it: the same words on every machine; two machines of one name with the start of their
  ids; a side that is already a merge of several versions names their machines,
  `laptop + desktop`), or keeps sync's words alone for a revision without an author;
* moments are a map by id: an edit on one side wins over no change; two different edits of
  one moment keep both (the second under a new, derived id);
* a list field (recovery, good things) keeps the items of both sides; for a single value
  (sleep, energy) changed on both sides, the first head's value is kept and the conflict
  is reported;
* a deletion against an edit keeps the edit.
"""

from __future__ import annotations

import uuid
from difflib import SequenceMatcher
from typing import Any

from journal.core.model.conflicts import clean_name, id_tags, merged_label, side_label
from journal.core.sync.revisions import Content, Revision, ancestry, canonical, heads

MARK_A = "<<<<<<< one version (merged by sync)\n"
MARK_MID = "=======\n"
#: The middle mark when a version itself holds a `=======` line (journal.core.model.conflicts).
MARK_DIVIDER = "======= (merged by sync)\n"
MARK_B = ">>>>>>> other version\n"
_SPECIAL = ("id", "date", "body", "moments", "written_at")


def _matches(base: list[str], other: list[str]) -> dict[int, int]:
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    out: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            out[block.a + k] = block.b + k
    return out


def _ended(lines: list[str]) -> list[str]:
    if lines and not lines[-1].endswith("\n"):
        return lines[:-1] + [lines[-1] + "\n"]
    return lines


def marks(labels: tuple[str, str] = ("", "")) -> tuple[str, str]:
    """The opening and closing marks, each with its side's label (`side_label`) if any."""
    one, other = labels
    return (MARK_A[:-1] + f" {one}\n" if one else MARK_A,
            MARK_B[:-1] + f" {other}\n" if other else MARK_B)


def merge_text(base: str, a: str, b: str,
               labels: tuple[str, str] = ("", "")) -> tuple[str, bool]:
    """diff3: changes from both sides, both texts kept where they overlap (between marks
    that carry `labels`, one per side)."""
    if a == b or b == base:
        return a, False
    if a == base:
        return b, False
    lb, la, lbb = (t.splitlines(keepends=True) for t in (base, a, b))
    open_mark, close_mark = marks(labels)
    ma, mb = _matches(lb, la), _matches(lb, lbb)
    out: list[str] = []
    conflict = False
    ib = ia = ibb = 0
    sync = [i for i in range(len(lb)) if i in ma and i in mb] + [len(lb)]
    for i in sync:
        end_a = ma[i] if i < len(lb) else len(la)
        end_b = mb[i] if i < len(lb) else len(lbb)
        if end_a < ia or end_b < ibb:  # crossing matches: not a stable point
            continue
        cb, ca, cbb = lb[ib:i], la[ia:end_a], lbb[ibb:end_b]
        if ca == cbb or cbb == cb:
            out += ca
        elif ca == cb:
            out += cbb
        else:
            conflict = True
            middle = MARK_DIVIDER if _holds_a_middle(ca + cbb) else MARK_MID
            out += [open_mark, *_ended(ca), middle, *_ended(cbb), close_mark]
        if i < len(lb):
            out.append(lb[i])
            ib, ia, ibb = i + 1, end_a + 1, end_b + 1
    return "".join(out), conflict


def _holds_a_middle(lines: list[str]) -> bool:
    """Whether a version holds a line a reader could take for the hunk's middle."""
    return any(line.rstrip("\n") in (MARK_MID[:-1], MARK_DIVIDER[:-1]) for line in lines)


def _merge_moments(base: list[dict], a: list[dict], b: list[dict]) -> tuple[list[dict], bool]:
    by_base = {m.get("id"): m for m in base}
    by_a = {m.get("id"): m for m in a}
    by_b = {m.get("id"): m for m in b}
    order = [m.get("id") for m in a] + [m.get("id") for m in b if m.get("id") not in by_a]
    out: list[dict] = []
    conflict = False
    for mid in order:
        ma, mb, mo = by_a.get(mid), by_b.get(mid), by_base.get(mid)
        if ma == mb or mb == mo:
            chosen = [ma]
        elif ma == mo:
            chosen = [mb]
        elif ma is None or mb is None:
            chosen = [ma or mb]  # an edit wins over a deletion
        else:
            conflict = True
            twin = dict(mb)
            twin["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{mid}|" + canonical(mb).hex()))
            chosen = [ma, twin]
        out += [m for m in chosen if m is not None]
    return out, conflict


def merge_entry(base: Content, a: Content, b: Content,
                labels: tuple[str, str] = ("", "")) -> tuple[Content, bool]:
    """Three-way merge of two versions of one day; (result, whether both changed one thing).
    `labels` say who wrote `a` and `b`, for the body's conflict marks."""
    if a == b:
        return a, False
    if a is None or b is None:
        kept = b if a is None else a
        return (None, False) if kept == base else (kept, False)
    base = base or {}
    out: dict[str, Any] = {}
    conflict = False
    for key in sorted(set(a) | set(b) | set(base)):
        va, vb, vo = a.get(key), b.get(key), base.get(key)
        if key in _SPECIAL:
            continue
        if va == vb or vb == vo:
            value = va
        elif va == vo:
            value = vb
        elif isinstance(va, list) and isinstance(vb, list):
            value = va + [x for x in vb if x not in va]
        else:
            conflict, value = True, va
        if value is not None or key in a or key in b:
            out[key] = value
    out["date"] = a["date"]
    for key, pick in (("id", min), ("written_at", _earliest)):
        va, vb, vo = a.get(key), b.get(key), base.get(key)
        out[key] = va if va == vb or vb == vo else vb if va == vo else pick(va, vb)
    body, body_conflict = merge_text(base.get("body", ""), a.get("body", ""), b.get("body", ""),
                                     labels)
    moments, moment_conflict = _merge_moments(base.get("moments", []), a.get("moments", []),
                                              b.get("moments", []))
    out["body"], out["moments"] = body, moments
    return out, conflict or body_conflict or moment_conflict


def _earliest(x: Any, y: Any) -> Any:
    present = [v for v in (x, y) if v is not None]
    return min(present) if present else None


def resolve(revs: dict[str, Revision]) -> tuple[Content, bool]:
    """The day's entry from all its known revisions: the heads, merged in id order, each
    from the latest common ancestor (the smallest id among several)."""
    tips = heads(revs)
    if not tips:
        return None, False
    result = revs[tips[0]].content
    seen = ancestry(revs, tips[0])
    conflict = False
    merged = [revs[tips[0]]]  # the versions `result` holds
    tags = _tags([revs[t] for t in tips]) if len(tips) > 1 else {}  # one for every mark
    for n, tip in enumerate(tips[1:]):
        theirs = ancestry(revs, tip)
        common = seen & theirs & set(revs)
        latest = [c for c in common
                  if not any(c in revs[o].parents or c in _strict(revs, o) for o in common
                             if o != c)]
        base = revs[min(latest)].content if latest else None
        labels = _labels(revs[tips[0]], revs[tip], tags) if n == 0 else (
            _merged_label(merged, tags), _label(revs[tip], _tag(revs[tip], tags)))
        result, clash = merge_entry(base, result, revs[tip].content, labels)
        merged.append(revs[tip])
        conflict = conflict or clash
        seen |= theirs
    return result, conflict


def _label(rev: Revision, tag: str = "") -> str:
    """Who wrote the revision, for a mark: a function of the revision (and `tag`)."""
    if rev.by is None:
        return ""
    return side_label(rev.by[0], rev.by[1], int(rev.day[:4]) if rev.day[:4].isdigit() else None,
                      tag)


def _tags(sides: list[Revision]) -> dict[str, str]:
    """The start of each machine's id to show after its name (`laptop #3f9c`), for the
    machines among `sides` (every head of the day: so a nested mark names the same laptop
    as the outer one) whose name another machine among them shares; a function of the
    revisions alone, so every machine writes the same marks. None for revisions without
    an id, whose sides are shown by name alone."""
    ids: dict[str, set[str]] = {}
    for rev in sides:
        if rev.by is not None and len(rev.by) >= 3:
            ids.setdefault(clean_name(rev.by[0]), set()).add(rev.by[2])
    tags: dict[str, str] = {}
    for shared in ids.values():
        if len(shared) > 1:
            tags.update(zip(sorted(shared), id_tags(*sorted(shared)), strict=True))
    return tags


def _tag(rev: Revision, tags: dict[str, str]) -> str:
    return tags.get(rev.by[2], "") if rev.by is not None and len(rev.by) >= 3 else ""


def _merged_label(sides: list[Revision], tags: dict[str, str]) -> str:
    """Who wrote a side that already merges several versions: their machines' names
    (`laptop + desktop`; `laptop #3f9c + laptop #a1b2` for two of one name), when every
    one of them carries an author."""
    if any(rev.by is None for rev in sides):
        return ""
    return merged_label([rev.by[0] for rev in sides if rev.by is not None],
                        [_tag(rev, tags) for rev in sides])


def _labels(one: Revision, other: Revision, tags: dict[str, str]) -> tuple[str, str]:
    """The two sides' labels. Machines of one name are told apart by the start of their
    ids (`laptop #3f9c`; `tags`, from every head of the day): a function of the revisions
    alone, so every machine writes the same marks."""
    return _label(one, _tag(one, tags)), _label(other, _tag(other, tags))


def _strict(revs: dict[str, Revision], rev_id: str) -> set[str]:
    return ancestry(revs, rev_id) - {rev_id}
