"""An entry as plain text for journals that know only text and tags (jrnl, Day One): the
body, then one line per moment carrying its tags and people, then the check-in (in the
words of journal.core.care.check_in).

    - 14:10 contagion 6/10 at work: She cried. felt upset; helped #ward @dana
    Check-in: sleep 6/10; energy 3/10; recovery: walk; good things: lunch outside

Moment tags become `#tags` (as `tag_token` writes them), so the other tool finds them.
"""

from __future__ import annotations

from journal.core.care.check_in import check_in_line
from journal.core.exchange.importers._shared import tag_token
from journal.core.model.entries import Entry, Moment


def moment_line(moment: Moment) -> str:
    head = " ".join(p for p in (moment.time or "", moment.kind,
                                f"{moment.intensity}/10", f"at {moment.context}") if p)
    words = [moment.note.replace("\n", " ").strip()] if moment.note.strip() else []
    if moment.feelings:
        words.append("felt " + ", ".join(moment.feelings))
    if moment.action:
        words.append(moment.action)
    marks = [tag_token(t) for t in moment.tags] + [
        "@" + "-".join(p.split()) for p in moment.people]
    text = "; ".join(words)
    return f"- {head}" + (f": {text}" if text else "") + (
        " " + " ".join(m for m in marks if m) if any(marks) else "")


def extra_lines(entry: Entry) -> list[str]:
    """The lines that follow the body: moments, then the check-in."""
    lines = [moment_line(m) for m in entry.moments]
    checkin = check_in_line(entry)
    return lines + ([checkin] if checkin else [])


def day_text(entry: Entry) -> str:
    """The body, a blank line, then the extra lines (if any)."""
    extra = extra_lines(entry)
    body = entry.body.strip("\n")
    if not extra:
        return body
    return f"{body}\n\n" + "\n".join(extra) if body else "\n".join(extra)
