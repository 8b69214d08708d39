"""A read-only preview of one entry: its Markdown with #tags and @people highlighted,
then its check-in and its moments.

Tags become inline code (`#grief`) and people strong text (**@sam**): the Markdown widget
styles both distinctly in every theme. Code spans and fences are left untouched, so
`#include` in a code block is not highlighted (the same rule journal.core.model.markup follows).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from journal.core.care.check_in import HEADING, check_in_items
from journal.core.care.practice_script import describe
from journal.core.model.entries import Entry, Moment
from journal.core.model.markup import _PERSON_RE, _TAG_RE
from journal.core.textsafe import picture_controls
from journal.ui.widgets.entry_list import CONCERN_SYMBOL, CONTAGION_SYMBOL

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.*?)\1")


def _mark(text: str) -> str:
    text = _TAG_RE.sub(lambda m: f"`#{m.group(1)}`", text)
    return _PERSON_RE.sub(lambda m: f"**@{m.group(1)}**", text)


def highlight_mentions(body: str) -> str:
    """Wrap #tags in inline code and @people in strong text, outside code."""
    out: list[str] = []
    fence: str | None = None
    for line in body.splitlines(keepends=True):
        opener = _FENCE.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            out.append(line)
        elif opener:
            fence = opener.group(1)
            out.append(line)
        elif line.startswith(("    ", "\t")):
            out.append(line)
        else:
            pos = 0
            for span in _CODE_SPAN.finditer(line):
                out.append(_mark(line[pos:span.start()]))
                out.append(span.group(0))
                pos = span.end()
            out.append(_mark(line[pos:]))
    return "".join(out)


def as_written() -> MarkdownIt:
    """Textual's parser ("gfm-like"), but a line break typed in the entry stays a line
    break: a soft break read as a space ran two lines of a diary into one. (Textual reads
    the tokens, not markdown-it's `breaks` option, so the soft breaks become hard ones.)"""
    parser = MarkdownIt("gfm-like")
    parser.core.ruler.push("journal_hard_breaks", _hard_breaks)
    return parser


def _hard_breaks(state: StateCore) -> None:
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "softbreak":
                child.type = "hardbreak"


def _moment_line(moment: Moment) -> str:
    symbol = CONTAGION_SYMBOL if moment.kind == "contagion" else CONCERN_SYMBOL
    parts = [f"{symbol} **{moment.kind}** {moment.intensity}/10", moment.context]
    if moment.time:
        parts.append(moment.time)
    mentions = [f"`#{t}`" for t in moment.tags] + [f"**@{p}**" for p in moment.people]
    if mentions:
        parts.append(" ".join(mentions))
    if moment.feelings:
        parts.append(", ".join(moment.feelings))
    if moment.action:
        parts.append(moment.action)
    line = " · ".join(parts)
    if moment.note.strip():
        line += f" — {highlight_mentions(' '.join(moment.note.split()))}"
    if moment.practice is not None:
        line += f"\n  - *practice:* {describe(moment.practice)}"
    return f"- {line}"


def entry_markdown(entry: Entry, captured: int = 0) -> str:
    """The whole preview as one Markdown document; `captured` quick captures went into it
    (issue 13 item 3: sent without the passphrase, so the header says so)."""
    day = entry.date
    lines = [f"**{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}**", ""]
    if captured:
        lines += [f"*Includes {captured} quick capture{'s' if captured != 1 else ''}, not "
                  "written in an unlocked session (ctrl+r reviews).*", ""]
    body = entry.body.strip()
    lines += [highlight_mentions(body) if body else "*No text written this day.*", ""]
    checkin = check_in_items(entry)
    if checkin or entry.moments:
        lines += ["---", ""]
    if checkin:
        lines += [f"**{HEADING}**", ""] + [f"- {item}" for item in checkin] + [""]
    if entry.moments:
        lines += [f"**Moments** ({len(entry.moments)})", ""]
        ordered = sorted(entry.moments, key=lambda m: m.time or "99:99")
        lines += [_moment_line(m) for m in ordered] + [""]
    return "\n".join(lines)


class EntryPreview(VerticalScroll, can_focus=False):
    """Shows one entry, or a short message when there is none to show."""

    DEFAULT_CSS = """
    EntryPreview { height: 1fr; }
    EntryPreview > Markdown { margin: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entry: Entry | None = None
        self.document = ""

    def compose(self) -> ComposeResult:
        yield Markdown(self.document, open_links=False, parser_factory=as_written)

    def show_entry(self, entry: Entry | None, empty: str = "No entry selected.", *,
                   captured: int = 0) -> None:
        if entry is not None and self.entry is not None and entry.id == self.entry.id \
                and entry.version == self.entry.version:
            return
        self.entry = entry
        self._set(entry_markdown(entry, captured) if entry else f"*{empty}*")

    def show_message(self, text: str) -> None:
        self.entry = None
        self._set(f"*{text}*")

    def _set(self, document: str) -> None:
        document = picture_controls(document)  # Markdown passes ESC and C1 to the terminal
        if document == self.document:
            return
        self.document = document
        self.query_one(Markdown).update(document)
        self.scroll_home(animate=False)
