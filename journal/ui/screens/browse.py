"""Browse: every entry newest first, a search box, a month heat map and a preview.

The screen is the mediator: its widgets post messages up and it calls their methods.
The list, calendar and filters read the vault's encrypted summaries (no bodies) in a
thread worker each time the screen is shown (an entry may have been written meanwhile);
the preview decrypts just the highlighted entry; words are searched in the full text by a
thread worker that reads the entries in small chunks, showing matches as it goes, and
keeps what it read for the next search. Nothing is kept outside this screen, which the
app removes when it locks. Every vault call holds `app.vault_lock` (journal.ui.vault_access).
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
from journal.core.models import Entry
from journal.core.query import Query
from journal.ui.vault_access import allocation_burst, vault_in_use
from journal.ui.widgets.calendar import DayMark, MonthCalendar, marks_from_entries
from journal.ui.widgets.entry_list import EntryList, prepare_rows
from journal.ui.widgets.filters import FilterBar, SearchIndex, WordSearch
from journal.ui.widgets.preview import EntryPreview

PREVIEW_DELAY = 0.08
PREVIEW_WAIT = 0.1
"""The longest the UI thread waits for a worker's vault call before trying again later."""
WORDS_CHUNK = 400
"""Full entries decrypted per vault call by the word search (~40 ms each)."""
PROGRESS_EVERY = 0.25
SINGLE_KEY_ACTIONS = {"focus_calendar", "focus_list", "focus_search"}


@dataclass
class _Loaded(Message):
    entries: list[Entry]
    marks: dict[date, DayMark]
    rows: list


@dataclass
class _Indexed(Message):
    entries: list[Entry]
    index: SearchIndex


@dataclass
class _Searched(Message):
    query: Query
    found: list[int]
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
        Binding("slash", "focus_search", "Search", id="browse.search",
                tooltip="Type words, #tags, @people, kind:, context:, since:, until:"),
        Binding("c", "focus_calendar", "Calendar", id="browse.calendar",
                tooltip="The month heat map: arrows move a day, PageUp/PageDown a month"),
        Binding("l", "focus_list", "List", id="browse.list", show=False,
                tooltip="The list of entries"),
        Binding("escape", "escape", "Back to list", id="browse.escape", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.index: SearchIndex | None = None
        self.ready = False
        """True once the index matches the entries in the list (filtering can run)."""
        self.entries: list[Entry] = []
        """The vault's summaries (partial entries), newest first, as in the list."""
        self._rows: list | None = None
        self.by_date: dict[date, Entry] = {}
        self.words = WordSearch()
        self.marks: dict[date, DayMark] = {}
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
        yield Footer()

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
        """Read the summaries off the UI thread: first the list and calendar, then the
        filter index (it reuses the previous index for entries that did not change)."""
        previous = self.index
        with allocation_burst():
            with vault_in_use(self.app) as vault:
                if vault is None:
                    return
                entries = vault.summaries()
            self.post_message(_Loaded(entries, marks_from_entries(entries),
                                      prepare_rows(entries)))
            index = SearchIndex(entries, previous=previous)
        if not get_current_worker().is_cancelled:
            self.post_message(_Indexed(entries, index))

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        if event.worker.group == "browse-load":
            self.preview.show_message(f"Your entries could not be read: {event.worker.error}")
        elif event.worker.group == "browse-words":
            self.filter_bar.set_counts(0, self.entry_list.total)
            self.preview.show_message(f"The search could not read: {event.worker.error}")

    @on(_Loaded)
    def _loaded(self, message: _Loaded) -> None:
        self.entries = message.entries
        self.by_date = {entry.date: entry for entry in message.entries}
        self.marks = message.marks
        self.ready = False
        self._rows = message.rows
        if self.query_value.empty:  # else the list waits for the index to filter it
            self.entry_list.set_entries(message.entries, rows=message.rows)
            self._after_filter()
        if not message.entries:
            self.preview.show_message(
                "No entries yet. The entries you write will appear here, newest first.")

    @on(_Indexed)
    def _indexed(self, message: _Indexed) -> None:
        self.index = message.index
        self.ready = True
        self.filter_bar.set_vocabulary(message.index.tags, message.index.people)
        if not self.query_value.empty:
            self._filter(rebuild=True)

    def _filter(self, rebuild: bool = False) -> None:
        """Show what the query matches: at once for tags, people, kinds, contexts and
        dates; words go to the word search worker, which shows its matches as it reads."""
        query = self.query_value
        matching = self.index.matching(query) if self.index else []
        if query.text:
            if rebuild:
                self.entry_list.set_entries(self.entries, [], rows=self._rows)
            self.filter_bar.set_progress(0, 0, len(matching))
            self._search_words(query, matching, self.entries)
            return
        self.workers.cancel_group(self, "browse-words")
        if rebuild:
            self.entry_list.set_entries(self.entries, matching, rows=self._rows)
        else:
            self.entry_list.show(matching)
        self._after_filter()

    @work(thread=True, exclusive=True, group="browse-words", exit_on_error=False)
    def _search_words(self, query: Query, candidates: list[int], entries: list[Entry]) -> None:
        """Match the query's words in the full text of `candidates` (indices into
        `entries`), newest first, reading WORDS_CHUNK entries per vault call."""
        worker = get_current_worker()
        words, found, todo = query.text, [], []
        for i in candidates:
            text = self.words.known(entries[i])
            if text is None:
                todo.append(i)
            elif all(w in text for w in words):
                found.append(i)
        read, last_post = len(candidates) - len(todo), 0.0
        for start in range(0, len(todo), WORDS_CHUNK):
            if monotonic() - last_post > PROGRESS_EVERY:
                self.post_message(_Searched(query, sorted(found), read, len(candidates)))
                last_post = monotonic()
            chunk = todo[start:start + WORDS_CHUNK]
            with vault_in_use(self.app) as vault:
                if vault is None or worker.is_cancelled:
                    return
                full = vault.get_many([entries[i].id for i in chunk])
            texts = {e.id: self.words.learn(e) for e in full}
            found += [i for i in chunk
                      if all(w in texts.get(entries[i].id, "") for w in words)]
            read += len(chunk)
        if not worker.is_cancelled:
            self.post_message(_Searched(query, sorted(found), read, len(candidates)))

    @on(_Searched)
    def _searched(self, message: _Searched) -> None:
        if message.query != self.query_value:
            return  # an older search's last words
        self.entry_list.show(message.found)
        if message.done:
            self._after_filter()
        else:
            self.filter_bar.set_progress(len(message.found), message.read, message.of)
            self.calendar.set_marks({e.date: self.marks[e.date]
                                     for e in self.entry_list.entries_shown})

    def _after_filter(self) -> None:
        shown = self.entry_list.entries_shown
        self.filter_bar.set_counts(len(shown), self.entry_list.total)
        if self.query_value.empty:
            self.calendar.set_marks(self.marks)
        else:
            self.calendar.set_marks({e.date: self.marks[e.date] for e in shown})
        if not shown and self.entry_list.total:
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
        if entry.partial:
            try:
                with vault_in_use(self.app, timeout=PREVIEW_WAIT) as vault:
                    if vault is None:
                        if self.app.vault is not None:  # busy: a worker's call
                            self._preview_timer = self.set_timer(PREVIEW_DELAY,
                                                                 self._show_pending)
                        return
                    entry = vault.get(entry.id) or entry
            except JournalError as exc:
                self.preview.show_message(f"This entry could not be read: {exc}")
                return
        self.preview.show_entry(entry)

    @on(EntryList.EntryChosen)
    def _entry_chosen(self, event: EntryList.EntryChosen) -> None:
        self.app.open_day(event.entry.date)

    @on(MonthCalendar.DayHighlighted)
    def _day_highlighted(self, event: MonthCalendar.DayHighlighted) -> None:
        if isinstance(event, MonthCalendar.DaySelected):
            return
        entry = self.by_date.get(event.day)
        if entry is not None:
            if not self.entry_list.highlight_entry(entry.id):
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
        else:
            self.entry_list.focus()


def _long(day: date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"
