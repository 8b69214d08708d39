"""Browse: every entry newest first, a search box, a month heat map and a preview.

The screen is the mediator: its widgets post messages up and it calls their methods.
Each time the screen is shown (an entry may have been written meanwhile) a thread worker
takes the vault's encrypted index (no bodies; cached in the vault, so usually no reading
at all) and the list shows it as it is: the list and the calendar build Entry objects only
for the rows and months on screen. Tags, people, kinds, contexts and dates are answered
by the index in a worker (a few milliseconds); words are searched in the full text by the
same worker, which reads the candidates in small chunks, shows matches as it goes, and
keeps what it read for the next search. The preview decrypts just the highlighted entry.
Nothing is kept outside this screen, which the app removes when it locks. Every vault
call holds `app.vault_lock` (journal.ui.vault_access), which is also the vault's own turn:
the index's lazy read of its word rows (a first word search) takes it by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from time import monotonic

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import ScreenResume
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState, get_current_worker

from journal.core.errors import JournalError
from journal.core.model.entries import Entry
from journal.core.model.query import Query, needs_full_text
from journal.core.store.index import Hits, Index
from journal.ui.vault_access import allocation_burst, vault_in_use, vault_index
from journal.ui.widgets.calendar import DayMarks, MonthCalendar
from journal.ui.widgets.entry_list import EntryList
from journal.ui.widgets.entry_view import EntryView
from journal.ui.widgets.filters import FilterBar, WordSearch
from journal.ui.widgets.preview import EntryPreview

PREVIEW_DELAY = 0.08
PREVIEW_WAIT = 0.1
"""The longest the UI thread waits for a worker's vault call before trying again later."""
WORDS_CHUNK = 400
"""Full entries decrypted per vault call by the word search (~20 ms each at 50,000)."""
PROGRESS_EVERY = 0.25
SINGLE_KEY_ACTIONS = {"focus_calendar", "focus_list", "focus_search"}


def most_used(counts: dict[str, int]) -> list[str]:
    """Labels, the most used first (then by name): the order completion offers them."""
    return [label for label, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


@dataclass
class _Loaded(Message):
    index: Index
    entries: EntryView
    tags: list[str]
    people: list[str]


@dataclass
class _Searched(Message):
    """What `query` matches so far: `read` of `of` candidates looked at."""

    query: Query
    found: EntryView
    read: int
    of: int

    @property
    def done(self) -> bool:
        return self.read >= self.of


class BrowseScreen(Screen):
    """Read back: filter, look at the calendar, preview, and open an entry with Enter."""

    CSS_PATH = "browse.tcss"
    TITLE = "Browse"

    BINDINGS = [
        # F2 is the app's, hidden in the write screen's footer; here it is the way back
        Binding("f2", "app.today", "Write", id="browse.write", tooltip="Tonight's entry"),
        Binding("question_mark", "app.help", "Help", id="browse.help", show=False,
                tooltip="Every key (as F1); in the search field it is a question mark"),
        Binding("slash", "focus_search", "Search", id="browse.search",
                tooltip="Type words, #tags, @people, kind:, context:, since:, until:"),
        Binding("c", "focus_calendar", "Calendar", id="browse.calendar",
                tooltip="The month heat map: arrows move a day, PageUp/PageDown a month"),
        Binding("l", "focus_list", "List", id="browse.list", show=False,
                tooltip="The list of entries"),
        Binding("escape", "escape", "Back", id="browse.escape", show=False,
                tooltip="Clear the search, then back to the list, then to the entry"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.index: Index | None = None
        self.ready = False
        """True once the index is loaded (filtering can run)."""
        self.entries = EntryView()
        """Every entry (partial: no body, no notes), newest first, built when read."""
        self.marks = DayMarks(self.entries)
        """The calendar marks of every entry (worked out a month at a time)."""
        self.words = WordSearch()
        self.query_value = Query()
        self._preview_timer: Timer | None = None
        self._pending_preview: Entry | None = None

    def compose(self) -> ComposeResult:
        yield FilterBar(id="browse-filter")
        with Horizontal(id="browse-body"):
            yield EntryList(id="browse-list")
            with Vertical(id="browse-side"):
                yield MonthCalendar(id="browse-calendar")
                yield EntryPreview(id="browse-preview")
        yield Footer(compact=True)  # room for f2 at 80 columns

    # -- widgets ---------------------------------------------------------------------------
    @property
    def entry_list(self) -> EntryList:
        return self.query_one("#browse-list", EntryList)

    @property
    def calendar(self) -> MonthCalendar:
        return self.query_one("#browse-calendar", MonthCalendar)

    @property
    def preview(self) -> EntryPreview:
        return self.query_one("#browse-preview", EntryPreview)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one("#browse-filter", FilterBar)

    # -- loading ---------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.calendar.set_marks({}, cursor=self.app.clock.today())
        self.preview.show_message("Opening your entries…")
        self.entry_list.border_title = "Entries (Enter opens)"
        self.calendar.border_title = "Calendar (c)"
        self.preview.border_title = "Preview"
        self.entry_list.focus()

    @on(ScreenResume)
    def _resumed(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="browse-load", exit_on_error=False)
    def reload(self) -> None:
        """Take the vault's index off the UI thread (cached in the vault: usually no read
        at all) and its order, dates and label counts (milliseconds at 50,000)."""
        with allocation_burst():
            index = vault_index(self.app)
            if index is None:
                return
            entries = EntryView(index.select())
            tags, people = index.label_counts()
        if not get_current_worker().is_cancelled:
            self.post_message(_Loaded(index, entries, most_used(tags), most_used(people)))

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        if event.worker.group == "browse-load":
            self.preview.show_message(f"Your entries could not be read: {event.worker.error}")
        elif event.worker.group == "browse-search":
            self.filter_bar.set_counts(0, len(self.entries))
            self.preview.show_message(f"The search could not read: {event.worker.error}")

    @on(_Loaded)
    def _loaded(self, message: _Loaded) -> None:
        self.index, self.entries = message.index, message.entries
        self.marks = DayMarks(self.entries)
        self.ready = True
        self.filter_bar.set_vocabulary(message.tags, message.people)
        if self.query_value.empty:
            self._show(self.entries)
        else:  # the list keeps what it shows until the search answers
            self._filter()
        if not message.entries:
            self.preview.show_message(
                "No entries yet. The entries you write will appear here, newest first.")

    def _show(self, entries: EntryView) -> None:
        self.entry_list.set_entries(entries, total=len(self.entries))
        self._after_filter()

    def _filter(self) -> None:
        """Show what the query matches: tags, people, kinds, contexts and dates come from
        the index at once; words go on to the full text, with matches shown as found."""
        if self.query_value.empty:
            self.workers.cancel_group(self, "browse-search")
            self._show(self.entries)
        elif self.index is not None:
            self._search(self.query_value, self.index)

    @work(thread=True, exclusive=True, group="browse-search", exit_on_error=False)
    def _search(self, query: Query, index: Index) -> None:
        """The index's answer to `query` (exact, words included), or for a quoted phrase the
        candidates whose full text holds every word, newest first, reading WORDS_CHUNK
        entries per vault call.
        The texts of the entries read are kept for the next searches (`WordSearch`); the
        vault parses only the rows whose text holds the words, so those are the ones kept."""
        worker = get_current_worker()
        with allocation_burst():  # a first word search reads the word rows (vault's turn)
            candidates = index.select(query)
        if not needs_full_text(query):  # the index's answer is exact
            if not worker.is_cancelled:
                found = EntryView(candidates)
                self.post_message(_Searched(query, found, len(found), len(found)))
            return
        words, found_at, last_post = query.text, [], 0.0
        for start in range(0, len(candidates), WORDS_CHUNK):
            if monotonic() - last_post > PROGRESS_EVERY:
                self.post_message(_Searched(query, _part(index, candidates, found_at),
                                            start, len(candidates)))
                last_post = monotonic()
            # The index parts decoded for these rows stay (frozen once built), so the
            # collector's full passes skip them: else each walked them for ~0.1 s, GIL held.
            with allocation_burst():
                chunk = candidates[start:start + WORDS_CHUNK]
            todo = []
            for at, entry in enumerate(chunk, start):
                text = self.words.known(entry)
                if text is None:
                    todo.append(entry)
                elif all(w in text for w in words):
                    found_at.append(at)
            if todo:
                with vault_in_use(self.app) as vault:
                    if vault is None or worker.is_cancelled:
                        return
                    # decrypts every row, parses only those holding the words
                    full = vault.entries_containing([e.id for e in todo], words)
                texts = {e.id: self.words.learn(e) for e in full}
                found_at += [at for at, entry in enumerate(chunk, start)
                             if entry.id in texts and all(w in texts[entry.id] for w in words)]
            if worker.is_cancelled:
                return
        self.post_message(_Searched(query, _part(index, candidates, found_at),
                                    len(candidates), len(candidates)))

    @on(_Searched)
    def _searched(self, message: _Searched) -> None:
        if message.query != self.query_value:
            return  # an older search's last words
        self.entry_list.set_entries(message.found, total=len(self.entries))
        if message.done:
            self._after_filter()
        else:
            self.filter_bar.set_progress(len(message.found), message.read, message.of)
            self.calendar.set_marks(DayMarks(message.found))

    def _after_filter(self) -> None:
        shown = self.entry_list.view
        self.filter_bar.set_counts(len(shown), len(self.entries))
        self.calendar.set_marks(self.marks if shown is self.entries else DayMarks(shown))
        if not shown and self.entries:
            self.preview.show_message("Nothing matches this search. Escape clears it.")

    # -- filtering -------------------------------------------------------------------------
    @on(FilterBar.QueryChanged)
    def _query_changed(self, event: FilterBar.QueryChanged) -> None:
        self.query_value = event.query
        if self.ready:
            self._filter()
        else:
            self.filter_bar.set_preparing()
        if event.submitted:
            self.entry_list.focus()

    # -- list, preview, calendar -----------------------------------------------------------
    @on(EntryList.EntryHighlighted)
    def _entry_highlighted(self, event: EntryList.EntryHighlighted) -> None:
        if event.entry is None:
            return
        if self.calendar.has_focus and event.entry.date != self.calendar.cursor:
            return  # the list followed a day the calendar has since left: stale, not a move
        self.calendar.move_to(event.entry.date, announce=False)
        self._preview_later(event.entry)

    def _preview_later(self, entry: Entry) -> None:
        self._pending_preview = entry
        if self._preview_timer is None:
            self._preview_timer = self.set_timer(PREVIEW_DELAY, self._show_pending)

    def _show_pending(self) -> None:
        """Show the full entry behind the highlighted summary: one row decrypted here, on
        the UI thread, if no worker is using the vault; else try again a moment later."""
        self._preview_timer = None
        entry, shown = self._pending_preview, self.preview.entry
        if entry is None or (shown is not None and (shown.id, shown.version)
                             == (entry.id, entry.version)):
            return
        try:
            with vault_in_use(self.app, timeout=PREVIEW_WAIT) as vault:
                if vault is None:
                    if self.app.vault is not None:  # busy: a worker's call
                        self._preview_timer = self.set_timer(PREVIEW_DELAY,
                                                             self._show_pending)
                    return
                if entry.partial:
                    entry = vault.get(entry.id) or entry
                captured = sum(1 for a in vault.arrivals(entry.date) if a.to_review)
        except JournalError as exc:
            self.preview.show_message(f"This entry could not be read: {exc}")
            return
        self.preview.show_entry(entry, captured=captured)

    @on(EntryList.EntryChosen)
    def _entry_chosen(self, event: EntryList.EntryChosen) -> None:
        self.app.open_day(event.entry.date)

    @on(MonthCalendar.DayHighlighted)
    def _day_highlighted(self, event: MonthCalendar.DayHighlighted) -> None:
        if isinstance(event, MonthCalendar.DaySelected):
            return
        entry = self.entries.on(event.day)
        if entry is not None:
            if not self.entry_list.highlight_day(event.day):
                self._preview_later(entry)
            return
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        if event.day > self.app.clock.today():
            self.preview.show_message(f"{_long(event.day)} is still to come.")
        else:
            self.preview.show_message(f"No entry on {_long(event.day)}. Enter writes one.")

    @on(MonthCalendar.DaySelected)
    def _day_selected(self, event: MonthCalendar.DaySelected) -> None:
        if event.day <= self.app.clock.today():
            self.app.open_day(event.day)

    # -- keys ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in SINGLE_KEY_ACTIONS and isinstance(self.focused, Input))

    def action_focus_search(self) -> None:
        self.filter_bar.input.focus()

    def action_focus_calendar(self) -> None:
        self.calendar.focus()

    def action_focus_list(self) -> None:
        self.entry_list.focus()

    def action_escape(self) -> None:
        if isinstance(self.focused, Input) and self.filter_bar.input.value:
            self.filter_bar.clear()
        elif isinstance(self.focused, Input):
            self.entry_list.focus()
        elif not self.query_value.empty:
            self.filter_bar.clear()
        elif self.focused is not self.entry_list:
            self.entry_list.focus()
        else:  # nothing left to clear: back to the entry, as F2
            self.app.action_today()


def _long(day: date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def _part(index: Index, candidates: Hits, positions: list[int]) -> EntryView:
    """The candidates at these positions, newest first, still built only when read."""
    refs = candidates.refs
    return EntryView(Hits(index, [refs[i] for i in sorted(positions)]))
