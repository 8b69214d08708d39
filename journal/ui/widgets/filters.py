"""Filtering the entry list: one search box that takes the query syntax, with live results.

`#tag @person kind:contagion context:home since:2025-01-01 until:2025-03-31 words`
(journal.core.model.query). Typing is debounced (~150 ms). Tags, people, kinds, contexts and
dates are answered by the vault's encrypted index (`Index.select`, posting lists: a few
milliseconds at 50,000 entries); words need the full text (`WordSearch`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.suggester import Suggester
from textual.timer import Timer
from textual.widgets import Input, Static

from journal.core.errors import ValidationError
from journal.core.model.entries import CONTEXTS, KINDS, Entry
from journal.core.model.query import Query, searchable_text

DEBOUNCE_SECONDS = 0.15
PLACEHOLDER = "Search: words #tag @person kind:contagion context:home since:yesterday"
KEYWORDS = ("kind:", "context:", "since:", "until:")
WORDS_BUDGET = 32_000_000
"""Characters of full text kept for word searches (~32 MB): 20 years of 1.5 KB entries."""


class WordSearch:
    """The searchable text of full entries (body, notes, good things...), casefolded and
    kept once read, so the next searches need not decrypt those entries again. Kept in
    memory only, up to `budget` characters (years of entries fit; beyond, the rest is
    decrypted again at each search). Pure data: used from one search worker at a time."""

    def __init__(self, budget: int = WORDS_BUDGET) -> None:
        self.budget = budget
        self.size = 0
        self._texts: dict[tuple[str, int], str] = {}

    def known(self, entry: Entry) -> str | None:
        return self._texts.get((entry.id, entry.version))

    def learn(self, full: Entry) -> str:
        text = searchable_text(full)
        if self.size + len(text) <= self.budget:
            self._texts[(full.id, full.version)] = text
            self.size += len(text)
        return text


class QuerySuggester(Suggester):
    """Completes the word being typed: #tags, @people, kind:/context: values, keywords."""

    def __init__(self, tags: Iterable[str] = (), people: Iterable[str] = ()) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = list(tags)
        self.people = list(people)

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value.endswith(" "):
            return None
        last = value.rsplit(" ", 1)[-1]
        if last.startswith("#"):
            choices = [f"#{t}" for t in self.tags]
        elif last.startswith("@"):
            choices = [f"@{p}" for p in self.people]
        elif last.startswith("kind:"):
            choices = [f"kind:{k}" for k in KINDS]
        elif last.startswith("context:"):
            choices = [f"context:{c}" for c in CONTEXTS]
        else:
            choices = list(KEYWORDS) if len(last) >= 2 else []
        low = last.lower()
        for choice in choices:
            if choice.startswith(low) and choice != low:
                return value + choice[len(last):]
        return None


class FilterBar(Vertical):
    """The search box and a hint line (symbols legend, match count, query problems)."""

    DEFAULT_CSS = """
    FilterBar { height: auto; }
    FilterBar > #filter-hint { height: 1; padding: 0 1; }
    """

    class QueryChanged(Message):
        """A new, valid query (after the debounce, or at once on Enter)."""

        def __init__(self, bar: FilterBar, query: Query, submitted: bool) -> None:
            super().__init__()
            self.bar = bar
            self.query = query
            self.submitted = submitted

        @property
        def control(self) -> FilterBar:
            return self.bar

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None
        self._suggester = QuerySuggester()
        self._problem = ""
        self._counts = (0, 0)
        self._preparing = False
        self.query = Query()

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER, id="filter-input", suggester=self._suggester,
                    tooltip="Filter as you type. Enter jumps to the list, Escape too.")
        yield Static(id="filter-hint")

    @property
    def input(self) -> Input:
        return self.query_one("#filter-input", Input)

    def set_vocabulary(self, tags: Iterable[str], people: Iterable[str]) -> None:
        """The labels to complete, in the order to offer them (most used first)."""
        self._suggester.tags = list(tags)
        self._suggester.people = list(people)

    def set_counts(self, shown: int, total: int) -> None:
        self._counts = (shown, total)
        self._preparing = False
        self._show_hint()

    def set_preparing(self) -> None:
        """The search runs as soon as the entries are indexed (a first load of years)."""
        self._preparing = True
        self._show_hint()

    def set_progress(self, shown: int, read: int, of: int) -> None:
        """A word search is reading the entries: `shown` matches so far."""
        self._counts = (shown, self._counts[1])
        self._preparing = False
        self._show_hint(f"Searching the words of {of:,} entries: {read:,} read, "
                        f"{shown:,} match so far…")

    def _unknown_label(self) -> str:
        """A hint for a #tag or @person no entry has (often one still being typed)."""
        for sign, labels, known in (("#", self.query.tags, self._suggester.tags),
                                    ("@", self.query.people, self._suggester.people)):
            for label in labels:
                if label not in known:
                    close = next((k for k in known if k.startswith(label)), None)
                    if close:
                        return f"no entry has {sign}{label}: → completes {sign}{close}"
                    return f"no entry has {sign}{label}"
        return ""

    def _show_hint(self, progress: str = "") -> None:
        shown, total = self._counts
        unknown = self._unknown_label() if total else ""
        if (self._preparing or progress) and not self._problem:
            text = Content.styled(progress or f"Preparing the search over {total:,} entries…",
                                  "$text-muted")
        elif self._problem or unknown:
            text = Content.styled(f"⚠ {self._problem or unknown}", "$text-warning")
        else:
            noun = "entry" if total == 1 else "entries"
            count = (f"{total:,} {noun}" if shown == total and self.query.empty
                     else f"{shown:,} of {total:,} {noun} match")
            text = Content.assemble(
                ("◆", "$contagion"), " contagion  ", ("○", "$concern"), " concern   ",
                (count, "$text-muted"),
            )
        self.query_one("#filter-hint", Static).update(text)

    @on(Input.Changed, "#filter-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._apply)

    @on(Input.Submitted, "#filter-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._apply(submitted=True)

    def _apply(self, submitted: bool = False) -> None:
        self._timer = None
        raw = self.input.value
        try:
            query = Query.parse(raw, self._today())
        except ValidationError as exc:
            self._problem = f"{exc} (the list is unchanged until the search reads well)"
            self._show_hint()
            return
        self._problem = ""
        self.query = query
        self._show_hint()
        self.post_message(self.QueryChanged(self, query, submitted))

    def _today(self) -> date | None:
        """The app's clock's today, for `since:yesterday` (None: YYYY-MM-DD only)."""
        clock = getattr(self.app, "clock", None)
        return clock.today() if clock is not None else None

    def clear(self) -> None:
        """Empty the search box; the list shows everything again (after the debounce)."""
        self.input.value = ""
