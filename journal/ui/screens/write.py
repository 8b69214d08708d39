"""The write screen: one day's entry, its check-in and moments; saves itself as you type."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, Input, Static, TextArea

from journal.core.errors import ConflictError, JournalError, StorageError
from journal.core.model.entries import Entry, Moment
from journal.core.store.captures import Arrival, lines_still_captured, merge_into
from journal.core.textsafe import for_markup, has_controls, picture_controls
from journal.ui.autosave import Debouncer
from journal.ui.editor_theme import captured_style, follow_app_theme
from journal.ui.messages import EntrySaved
from journal.ui.screens.confirm import ConfirmScreen
from journal.ui.screens.conflicts import offer_resolution
from journal.ui.screens.practice_flow import absorb_open_practice, answer, offer_after
from journal.ui.screens.safety_flow import after_check_in
from journal.ui.typing_order import typed_in
from journal.ui.vault_access import vault_in_use
from journal.ui.widgets.checkin import CheckIn
from journal.ui.widgets.moment_form import MomentForm, Vocabulary
from journal.ui.widgets.moments import MomentList, MomentsPanel, moment_words
from journal.ui.widgets.practice_offer import PracticeOfferLine
from journal.ui.widgets.prompts import PromptPanel
from journal.ui.widgets.safety_checkin import SafetyCheckIn

if TYPE_CHECKING:
    from journal.core.store.vault import Vault
    from journal.ui.app import JournalApp


def _editor_language() -> str | None:
    """Markdown highlighting needs tree-sitter (textual[syntax]); plain text otherwise."""
    try:
        from textual._tree_sitter import TREE_SITTER

        return "markdown" if TREE_SITTER else None
    except ImportError:
        return None


class SafeTextArea(TextArea):
    """The editor, painting control characters as visible symbols (ESC as ␛): Textual
    sends them to the terminal raw. One symbol per character, so the cursor stays right;
    the text itself is kept exactly as typed or imported. Markdown highlighting takes its
    colours from the app theme (journal.ui.editor_theme)."""

    captured_lines: frozenset[int] = frozenset()
    """Lines (0-based) holding text that came by quick capture, still to review."""

    def on_mount(self) -> None:
        follow_app_theme(self)
        self._captured_style = Style()
        self.watch(self.app, "theme", lambda _theme: self._restyle(), init=True)

    def _restyle(self) -> None:
        self._captured_style = captured_style(self.app.get_css_variables())
        self.notify_style_update()

    def mark_lines(self, lines: frozenset[int]) -> None:
        """Mark these lines as quick capture (none: an empty set)."""
        if lines != self.captured_lines:
            self.captured_lines = lines
            self.notify_style_update()  # rendered lines are cached without the marks
            self.refresh()

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        if line_index in self.captured_lines:
            line.stylize(self._captured_style)
        return line

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if not any(has_controls(segment.text) for segment in strip):
            return strip
        return Strip([Segment(picture_controls(s.text), s.style, s.control) for s in strip])


class WriteScreen(Screen):
    """Shows `app.current_day`; `show_day(day)` saves what is pending, then switches days."""

    CSS_PATH = "write.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="write.save", priority=True,
                tooltip="Save now (typing saves by itself after a pause)"),
        Binding("ctrl+n", "add_moment", "Moment", id="write.add_moment", priority=True,
                tooltip="Add a moment: kind, intensity, context, tags"),
        Binding("ctrl+t", "focus_moments", "Moments", id="write.moments", priority=True,
                tooltip="Go to the moments list", show=False),
        Binding("ctrl+g", "toggle_prompts", "Prompts", id="write.prompts", priority=True,
                tooltip="Guided end-of-day prompts on/off", show=False),
        Binding("ctrl+e", "external_editor", "Editor", id="write.editor", priority=True,
                tooltip="Write this entry in your own editor ($VISUAL / $EDITOR)",
                show=False),
        # Priority: focus moves when Tab is read, so pasted keys after it land in the next
        # field (journal.ui.typing_order).
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
        Binding("f8", "prompt(1)", "Next prompt", id="write.next_prompt", show=False),
        Binding("shift+f8", "prompt(-1)", "Previous prompt", id="write.prev_prompt",
                show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        self.entry: Entry | None = None
        self.moments: list[Moment] = []
        self.debounce = Debouncer()
        self.status = ""
        self.captured: list[Arrival] = []
        """Quick captures merged into the day shown, still to review."""
        self.practice_offered: set[str] = set()
        """Moments the practice was offered after (never twice for one; issue 17)."""
        self.conflicts_shown: set[tuple[date, str]] = set()
        """(day, text) the sync conflict view was opened for (issue 18): not twice."""

    @property
    def journal(self) -> JournalApp:
        return cast("JournalApp", self.app)

    @property
    def offer_line(self) -> PracticeOfferLine:
        return self.query_one(PracticeOfferLine)

    def answer_offer(self, event: events.Key) -> bool:
        """The app reads `event` while this screen is shown: True if it started the
        practice offered (and is spent), False if it goes on to do its own job."""
        return answer(self, event)

    def on_mouse_down(self) -> None:
        self.offer_line.withdraw()  # a click carries on like any other key

    def compose(self) -> ComposeResult:
        yield Static(id="write-title")
        with Horizontal(id="write-main"):
            with Vertical(id="write-left"):
                yield PromptPanel(id="prompts")
                yield SafeTextArea(id="editor", soft_wrap=True, language=_editor_language(),
                               show_line_numbers=False, tab_behavior="focus",
                               placeholder="Tonight's entry: your reaction, not clients' "
                                           "details. #tags and @people (roles or initials, "
                                           "never names) are picked up as you type.")
            with VerticalScroll(id="write-side", can_focus=False):
                yield CheckIn(id="checkin")
                yield SafetyCheckIn(id="safety")
                yield MomentsPanel(id="moments")
        yield PracticeOfferLine(id="practice-offer")
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        self.query_one("#prompts").display = self.journal.settings.guided_prompts
        self.watch(self.app, "sub_title", lambda _s: self._set_status(self.status), init=False)
        self.set_interval(0.5, self.autosave_tick)
        await self.show_day(self.journal.current_day)

    async def on_screen_resume(self) -> None:
        if self.day is not None:
            await self.sync_day()
            self.query_one("#editor").focus()
            if not self.debounce.dirty:
                offer_resolution(self)

    async def sync_day(self) -> None:
        """Show `app.current_day` if another screen asked for a different day; reload the
        same day if it changed on disk meanwhile (an import merged into it) and nothing
        typed here is waiting to be saved."""
        day = self.journal.current_day
        if self.day is not None and day != self.day:
            if not await self.show_day(day):
                self.journal.current_day = self.day
        elif self.day is not None and not self.debounce.dirty and self._changed_on_disk():
            await self.show_day(self.day)

    def _changed_on_disk(self) -> bool:
        try:
            with vault_in_use(self.journal) as vault:
                stored = vault.get_by_date(self.day) if vault is not None else None
        except JournalError:
            return False
        return stored is not None and (self.entry is None
                                       or stored.version != self.entry.version)

    # -- loading -----------------------------------------------------------------------
    async def show_day(self, day: date) -> bool:
        """Save the current day, then show `day`. False if the save failed (nothing moves)."""
        if self.day is not None and not self.flush():
            return False
        try:
            with vault_in_use(self.journal) as vault:
                if vault is None:
                    return False
                entry = vault.get_by_date(day) or Entry(date=day)
                self.captured = self._captured(vault, day)
        except JournalError as exc:
            self.notify(str(exc), title="Cannot open this entry", severity="error")
            return False
        await self._load(entry)
        return True

    def recount_captures(self) -> None:
        """A capture of the day shown was kept (reviewed): say what is left in the title."""
        if self.day is None:
            return
        try:
            with vault_in_use(self.journal) as vault:
                if vault is None:
                    return
                self.captured = self._captured(vault, self.day)
        except JournalError:
            return
        self._set_status(self.status)
        self._mark_captured()

    @staticmethod
    def _captured(vault: Vault, day: date) -> list[Arrival]:
        """The quick captures that went into this day (issue 13 item 3) and are neither
        kept nor discarded: sent without the passphrase, so the title says so."""
        try:
            return [a for a in vault.arrivals(day) if a.to_review]
        except JournalError:
            return []

    def _mark_captured(self) -> None:
        """Mark in the editor the lines a capture still to review brought that are still as
        they came (a line the person edited or typed is theirs: `lines_still_captured`)."""
        editor = self.query_one("#editor", SafeTextArea)
        lines: set[int] = set()
        if self.captured:
            text = editor.text
            for arrival in self.captured:
                if arrival.body:
                    lines |= lines_still_captured(text, arrival.body)
        editor.mark_lines(frozenset(lines))

    async def _load(self, entry: Entry) -> None:
        self.offer_line.withdraw()  # it was about a moment of the day shown until now
        self.day, self.entry = entry.date, entry
        self.moments = [m for m in entry.copy().moments]
        self.journal.current_day = entry.date
        editor = self.query_one("#editor", TextArea)
        with self.prevent(TextArea.Changed):
            editor.load_text(entry.body)
        self._mark_captured()
        editor.move_cursor(editor.document.end)
        self.query_one(CheckIn).load(entry, self.journal.vocabulary.recovery)
        self.query_one(SafetyCheckIn).load(entry.check_in)
        await self.query_one(MomentsPanel).show(self.moments)
        self.debounce.reset()
        self._set_status("saved" if entry.version else "new")
        editor.focus()
        offer_resolution(self)  # a day two machines changed on the same lines

    # -- saving ------------------------------------------------------------------------
    def collect(self) -> Entry:
        assert self.entry is not None
        entry = self.entry.copy()
        entry.body = self.query_one("#editor", TextArea).text
        self.query_one(CheckIn).apply(entry)
        entry.check_in = self.query_one(SafetyCheckIn).value
        entry.moments = [m for m in self.moments]
        return entry

    def flush(self) -> bool:
        """Save pending edits now (a moment still open in its form too, if complete).
        True when nothing is left unsaved."""
        self._absorb_open_form()
        absorb_open_practice(self)
        if not self.debounce.dirty:
            return True
        return self.save_now()

    def _absorb_open_form(self) -> None:
        """Locking or quitting with the moment form open keeps that moment if complete."""
        form = self.app.screen
        if not isinstance(form, MomentForm):
            return
        try:
            moment = form.build()
        except ValueError:
            return
        ids = [m.id for m in self.moments]
        if moment.id in ids:
            self.moments[ids.index(moment.id)] = moment
        else:
            self.moments.append(moment)
        self.debounce.changed(self.journal.clock.now())

    def save_now(self, wait: bool = True) -> bool:
        """Save now. With wait=False (autosave) give up at once if a worker is reading the
        vault this moment: the next tick tries again."""
        if self.entry is None:
            return False
        generation = self.debounce.generation
        mine = self.collect()
        try:
            with vault_in_use(self.journal, blocking=wait) as vault:
                if vault is None:
                    return False
                saved = vault.put(mine)
        except ConflictError:
            self._conflict(mine)
            return False
        except StorageError as exc:
            self.debounce.failed(self.journal.clock.now())
            self._set_status("NOT SAVED")
            self.notify(f"{exc}. Your text is still here; it will be retried.",
                        title="Could not save", severity="error", timeout=10)
            return False
        self.entry = saved
        self.journal.vocabulary.add([saved])
        self.debounce.saved(generation)
        self._set_status("saved")
        self.post_message(EntrySaved(saved.date))
        return True

    def autosave_tick(self) -> None:
        if self.debounce.due(self.journal.clock.now()):
            self.save_now(wait=False)

    def _conflict(self, mine: Entry) -> None:
        """Someone else saved this day. Keep the user's text; offer to merge both."""
        if self.debounce.paused:  # the question is already on screen
            return
        self.debounce.paused = True
        with vault_in_use(self.journal) as vault:
            assert vault is not None
            refresh = getattr(vault, "refresh", None)
            if callable(refresh):
                refresh()
            else:  # drop the cached copies so the other window's save is read from disk
                vault._cache = None
            theirs = vault.get_by_date(mine.date)
        self._set_status("NOT SAVED: changed elsewhere")

        def decided(merge: bool | None) -> None:
            self.debounce.paused = False
            if not merge:
                self.debounce.failed(self.journal.clock.now())  # ask again later, not at once
                return
            if theirs is None:  # it was deleted elsewhere: save ours as new
                chosen = mine.copy()
                chosen.version = 0
            else:
                chosen = merge_into(theirs, mine)
            try:
                with vault_in_use(self.journal) as vault:
                    if vault is None:
                        return
                    saved = vault.put(chosen)
            except JournalError as exc:
                self.notify(str(exc), title="Could not save", severity="error")
                return
            self.entry = saved
            self.run_worker(self._load(saved), exclusive=True, group="reload")
            self.notify("Merged both versions and saved.")

        self.app.push_screen(ConfirmScreen(
            "Changed in another window",
            f"The entry for {mine.date:%a %d %b} was saved from another window since you "
            "opened it. Your text is still in the editor.\n\n[b]Merge[/] keeps both (theirs, "
            "then yours). [b]Not now[/] keeps your text here unsaved; ctrl+s asks again.",
            yes="Merge", no="Not now"), decided)

    def _set_status(self, status: str) -> None:
        self.status = status
        title = f"{self.day:%A %d %B %Y}" if self.day else ""
        today = self.journal.clock.today()
        if self.day and self.day != today:
            title += " [$text-muted](an earlier day: F2 goes back to today)[/]"
        saved_at = self.entry.updated_at if self.entry is not None else None
        when = (saved_at or self.journal.clock.now()).strftime("%H:%M")
        mark = {"saved": f"[$text-muted]saved {when}[/]", "new": "[$text-muted]new entry[/]",
                "editing": "[$text-muted]editing…[/]"}.get(status, f"[b $error]{status}[/]")
        if self.captured:
            count = len(self.captured)
            mark += (f"   [$warning]includes {count} quick capture"
                     f"{'s' if count != 1 else ''}, not written in an unlocked "
                     "session (ctrl+r reviews)[/]")
        line = f"{title}   {mark}"
        sync = self.journal.sync.brief  # when it fits (issue 18): after the save, muted
        label = self.query_one("#write-title", Static)
        if sync and Content.from_markup(f"{line}   {sync}").cell_length + 2 <= label.size.width:
            line += f"   [$text-muted]{sync}[/]"
        label.update(line)

    # -- edits -------------------------------------------------------------------------
    def use_text(self, text: str) -> bool:
        """Replace the entry's text (a conflict decided) and save it the normal way. False
        when it could not be saved yet (the save has said why)."""
        editor = self.query_one("#editor", TextArea)
        with self.prevent(TextArea.Changed):
            editor.load_text(text)
        editor.move_cursor(editor.document.end)
        self._edited()
        return self.save_now()

    @on(TextArea.Changed, "#editor")
    @on(CheckIn.Changed)
    def _edited(self) -> None:
        self._mark_captured()
        self.debounce.changed(self.journal.clock.now())
        if self.status != "editing" and not self.status.startswith("NOT"):
            self._set_status("editing")

    def text_fields(self) -> list[Widget]:
        """Where typed keys may still be queued (journal.ui.typing_order)."""
        return [*self.query(TextArea), *self.query(Input)]

    async def action_save(self) -> None:
        await typed_in(self.text_fields())
        if not self.debounce.dirty:
            self.debounce.changed(self.journal.clock.now())
        if self.save_now():
            self.notify("Saved (encrypted).", timeout=2)

    def action_external_editor(self) -> None:
        """The entry's text in $VISUAL / $EDITOR, the app suspended meanwhile; what the
        editor saves comes back and is saved (the file lives in memory: external_editor)."""
        import os

        from textual.app import SuspendNotSupported

        from journal.external_editor import EditorError, edit

        editor = self.query_one("#editor", TextArea)
        try:
            with self.app.suspend():
                text = edit(editor.text, env=os.environ)
        except SuspendNotSupported:
            self.notify("Your own editor cannot be opened from this terminal.",
                        severity="warning")
            return
        except EditorError as exc:
            self.notify(str(exc), title="Editor", severity="error", markup=False)
            return
        finally:
            self.journal.idle.touch(self.journal.clock.now())  # time in the editor counts
        if text != editor.text:
            editor.load_text(text)
            editor.move_cursor(editor.document.end)
            self._edited()
            self.save_now()
        editor.focus()

    def _vocabulary(self) -> Vocabulary:
        known = self.journal.vocabulary
        return Vocabulary(list(known.tags), list(known.people), list(known.feelings),
                          list(known.recovery)).add([self.collect()])

    def _default_context(self) -> str:
        now = self.journal.clock.now().strftime("%H:%M")
        is_today = self.day == self.journal.clock.today()
        return "home" if is_today and now >= self.journal.settings.work_end else "work"

    def action_add_moment(self) -> None:
        self._edit_moment(None)

    def _edit_moment(self, index: int | None) -> None:
        moment = self.moments[index] if index is not None else None

        async def done(result: Moment | None) -> None:
            if result is None:
                return
            if index is None:
                self.moments.append(result)
            else:
                self.moments[index] = result
            await self.query_one(MomentsPanel).show(self.moments)
            self._edited()
            self.save_now()
            offer_after(self, result)

        self.app.push_screen(MomentForm(moment, vocabulary=self._vocabulary(),
                                        default_context=self._default_context()), done)

    @on(MomentsPanel.AddRequested)
    def _add_requested(self) -> None:
        self._edit_moment(None)

    @on(MomentsPanel.EditRequested)
    def _edit_requested(self, event: MomentsPanel.EditRequested) -> None:
        self._edit_moment(event.index)

    @on(MomentsPanel.RemoveRequested)
    def _remove_requested(self, event: MomentsPanel.RemoveRequested) -> None:
        index = event.index

        async def done(yes: bool | None) -> None:
            if yes and index < len(self.moments):
                del self.moments[index]
                await self.query_one(MomentsPanel).show(self.moments)
                self._edited()
                self.save_now()

        named = for_markup(moment_words(self.moments[index])) if index < len(self.moments) \
            else "this moment"
        self.app.push_screen(ConfirmScreen("Remove moment", f"Remove [b]{named}[/] from "
                                           "this entry?", yes="Remove", no="Keep"), done)

    def moment_changed(self) -> None:
        """A moment changed outside its form (a practice kept with it): show it, save."""
        async def show() -> None:
            await self.query_one(MomentsPanel).show(self.moments)

        self.call_later(show)
        self._edited()
        self.save_now()

    @on(SafetyCheckIn.Changed)
    def _check_in_chosen(self, event: SafetyCheckIn.Changed) -> None:
        self._edited()
        self.save_now()
        after_check_in(self, event.value)

    def action_focus_moments(self) -> None:
        self.query_one(MomentList).focus()

    def action_toggle_prompts(self) -> None:
        panel = self.query_one("#prompts")
        panel.display = not panel.display

    def action_prompt(self, delta: int) -> None:
        panel = self.query_one(PromptPanel)
        panel.display = True
        panel.move(delta)
