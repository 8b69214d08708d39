"""The conflict view (issue 18): a day two machines changed on the same lines, decided
hunk by hunk.

Sync keeps both texts between marks (journal.core.model.conflicts reads them). When the
write screen shows a day whose body holds such hunks, this screen shows each hunk's two
versions side by side and the person keeps one, the other, both (in order), or writes the
passage by hand; once every hunk is decided, the body goes back to the write screen
without marks and is saved the normal way (and the next sync carries it to the other
machines). Esc leaves the marks in the text for now (they stay editable by hand).

Each side's box says who wrote it, from the words sync put in its mark: "this machine" for
the side written here (its name is this machine's, with the start of this machine's id when
two machines of one name wrote the two sides, and the other side's is not), the other
machine as a person tells it apart otherwise (its name; "the other laptop" for one of this
machine's name: journal.core.sync.machines), when it was saved below. While machines
share a name the view suggests `journal sync rename`. Names come from other machines:
untrusted, shown as plain text (never markup), controls as pictures.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from journal.core.model.conflicts import Choice, Hunk, machine_of, parse, written_here
from journal.core.sync.machines import Machine, in_mark, shared_names
from journal.core.textsafe import one_line, picture_controls

INTRO = ("Both machines changed the same lines of this day while apart. Sync kept both; "
         "choose what to keep.")
HINT = "1 keep one · 2 keep other · b both · e edit by hand · esc not now"
EDIT_HINT = "ctrl+s use this text · esc back to the two versions"


class ConflictScreen(ModalScreen["str | None"]):
    """Dismisses the body with every hunk decided, or None (Esc: not now)."""

    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen > #conflict-box {
        width: 100%; max-width: 120; height: auto; max-height: 100%;
        border: round $warning; background: $surface; padding: 0 1;
    }
    ConflictScreen #conflict-intro { color: $text-muted; height: auto; }
    ConflictScreen #conflict-where { height: 1; margin-top: 1; text-style: bold; }
    ConflictScreen #conflict-sides { height: auto; }
    ConflictScreen .conflict-side {
        width: 1fr; height: auto; min-height: 5; max-height: 16; border: round $primary;
        padding: 0 1;
    }
    ConflictScreen .conflict-side:focus { border: round $accent; }
    ConflictScreen #conflict-other { border: round $secondary; }
    ConflictScreen #conflict-edit { height: 16; border: round $accent; display: none; }
    ConflictScreen.editing #conflict-sides { display: none; }
    ConflictScreen.editing #conflict-edit { display: block; }
    ConflictScreen #conflict-hint { color: $text-muted; height: 1; }
    """
    BINDINGS = [
        Binding("1", "pick('one')", "Keep one", id="conflict.one", show=False),
        Binding("2", "pick('other')", "Keep other", id="conflict.other", show=False),
        Binding("b", "pick('both')", "Both", id="conflict.both", show=False),
        Binding("e", "edit", "Edit", id="conflict.edit", show=False),
        Binding("ctrl+s", "use_edit", "Use this text", id="conflict.use", show=False),
        Binding("escape", "back", "Not now", id="conflict.back", show=False),
    ]

    AUTO_FOCUS = None  # keys choose; the editor takes focus only for an edit by hand

    def __init__(self, day: date, body: str, here: str = "", machine: str = "",
                 machines: Sequence[Machine] = ()) -> None:
        """`here`: this machine's name (as `sync status` shows it; "" when not linked);
        `machine`: its id, which tells it apart from another machine of the same name;
        `machines`: every machine the sync state knows, to name the other side as a
        person tells it apart ("the other laptop", not "laptop #a1b2")."""
        super().__init__()
        self.day = day
        self.here = here
        self.machine = machine
        self.machines = list(machines)
        self.conflicted = parse(body)
        self.hunks = self.conflicted.hunks
        self.choices: list[Choice | str] = []

    @property
    def hunk(self) -> Hunk:
        return self.hunks[len(self.choices)]

    @property
    def editing(self) -> bool:
        return self.has_class("editing")

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-box") as box:
            box.border_title = f"Changed on two machines: {self.day:%a %d %b %Y}"
            yield Static(self.intro(), id="conflict-intro", markup=False)
            yield Static("", id="conflict-where", markup=False)
            with Horizontal(id="conflict-sides"):
                with VerticalScroll(id="conflict-one", classes="conflict-side"):
                    yield Static("", id="conflict-one-text", markup=False)
                with VerticalScroll(id="conflict-other", classes="conflict-side"):
                    yield Static("", id="conflict-other-text", markup=False)
            yield TextArea(id="conflict-edit", soft_wrap=True, tab_behavior="focus",
                           disabled=True)
            yield Static(HINT, id="conflict-hint", markup=False)

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        hunk, n = self.hunk, len(self.hunks)
        where = f"Place {len(self.choices) + 1} of {n}" if n > 1 else "One place"
        before = self.conflicted.line_before(len(self.choices))
        before = before if len(before) <= 48 else before[:47] + "\u2026"
        where += f", after \u201c{one_line(before)}\u201d" if before else ", at the start"
        self.query_one("#conflict-where", Static).update(where)
        for side, text, label, name in (("one", hunk.one, hunk.one_label, "One version"),
                                        ("other", hunk.other, hunk.other_label,
                                         "Other version")):
            box = self.query_one(f"#conflict-{side}")
            who = self.who(side)
            title = f"{'1' if side == 'one' else '2'}  {name}" + (f" \u00b7 {who}" if who else "")
            box.border_title = Content(picture_controls(title))
            saved = saved_words(label)
            box.border_subtitle = Content(picture_controls(saved)) if saved else None
            shown = picture_controls(text.rstrip("\n")) if text else "(removed these lines)"
            self.query_one(f"#conflict-{side}-text", Static).update(shown)
            box.scroll_home(animate=False)

    def intro(self) -> str:
        """What the view is for, and, when machines share a name, how to end that."""
        shared = shared_names(self.machines)
        if not shared:
            return INTRO
        return (f"{INTRO} Several machines are called \u201c{shared[0]}\u201d: 'journal sync "
                "rename NAME' on one of them gives it a name of its own.")

    def who(self, side: str) -> str:
        """Who wrote a side of the hunk shown: "this machine", another machine as a person
        tells it apart (its name, "the other laptop" for a namesake), or "" when its mark
        does not say."""
        hunk = self.hunk
        label = hunk.one_label if side == "one" else hunk.other_label
        if written_here(hunk.one_label, hunk.other_label, self.here, self.machine) == side \
                and not self._name_only_of_a_namesake(label):
            return "this machine"
        return in_mark(label, self.machines) if self.machines else machine_of(label)

    def _name_only_of_a_namesake(self, label: str) -> bool:
        """Whether a mark names this machine's name without an id's start while another
        known machine has that name too (marks written before ids, or before every mark
        of a day carried them): it may be the other one's."""
        said = machine_of(label)
        return " #" not in said and said in shared_names(self.machines)

    # -- choosing ------------------------------------------------------------------------
    def action_pick(self, which: str) -> None:
        if not self.editing:
            self._decided(Choice(which))

    def action_edit(self) -> None:
        if self.editing:
            return
        editor = self.query_one("#conflict-edit", TextArea)
        editor.border_title = "Your text for this place"
        editor.load_text(self.hunk.take(Choice.BOTH))
        editor.move_cursor(editor.document.end)
        self.add_class("editing")
        self.query_one("#conflict-hint", Static).update(EDIT_HINT)
        editor.disabled = False
        editor.focus()

    def action_use_edit(self) -> None:
        if self.editing:
            text = self.query_one("#conflict-edit", TextArea).text
            self._leave_editor()
            self._decided(text)

    def action_back(self) -> None:
        if self.editing:
            self._leave_editor()
        else:
            self.dismiss(None)

    def _leave_editor(self) -> None:
        self.query_one("#conflict-edit", TextArea).disabled = True
        self.remove_class("editing")
        self.query_one("#conflict-hint", Static).update(HINT)
        self.set_focus(None)

    def _decided(self, choice: Choice | str) -> None:
        self.choices.append(choice)
        if len(self.choices) == len(self.hunks):
            self.dismiss(self.conflicted.resolve(self.choices))
        else:
            self._show()


class WriteScreen(Protocol):
    """What the offer uses of journal.ui.screens.write.WriteScreen (named here, not
    imported: the write screen imports this module)."""

    conflicts_shown: set[tuple[date, str]]

    @property
    def entry(self) -> Any: ...

    @property
    def app(self) -> Any: ...

    def notify(self, message: str, *, title: str = "", timeout: float | None = None) -> None: ...

    def use_text(self, text: str) -> bool: ...


def offer_resolution(screen: WriteScreen) -> None:
    """If the day shown holds sync conflict hunks, open the conflict view on it, once for
    that text while the day stays shown (reloads after a sync, coming back from another
    screen, Esc); opening the day again offers it again."""
    entry = screen.entry
    if entry is None or screen.app.screen is not screen:
        return
    key = (entry.date, entry.body)
    for shown in [k for k in screen.conflicts_shown if k[0] != entry.date]:
        screen.conflicts_shown.discard(shown)
    if key in screen.conflicts_shown or not parse(entry.body).hunks:
        return
    screen.conflicts_shown.add(key)

    def decided(body: str | None) -> None:
        if body is None:
            screen.notify("Both texts stay in the entry between the marks: edit them by "
                          "hand, or open the day again to choose.", timeout=6)
            return
        if screen.use_text(body):
            screen.notify("Kept what you chose; saved (encrypted). The next sync takes it "
                          "to your other machines.", timeout=5)

    screen.app.push_screen(ConflictScreen(entry.date, entry.body, *_here(screen.app)), decided)


def saved_words(label: str) -> str:
    """What a side's box says below it: when that side was saved (`saved Fri 4 Dec
    07:15`, from its mark; the box's title says who), else the mark's words as they are
    (marks of before, or words typed by hand); "" for a merged side (its title names its
    machines) or none."""
    said = machine_of(label)
    if said and label.startswith(said + ", "):
        return "saved " + label[len(said) + 2:]
    return "" if said else label


def _here(app: Any) -> tuple[str, str, list[Machine]]:
    """This machine's name for the sync folder, its id and every machine the sync state
    knows ("" and none when the vault is not linked, or the sync state cannot be read: the
    view then shows names as the marks say them)."""
    from journal.core.errors import JournalError
    from journal.core.sync import session

    vault = getattr(app, "vault", None)
    if vault is None:
        return "", "", []
    try:
        if not session.is_linked(vault):
            return "", "", []
        state = session.open_state(vault)
    except JournalError:
        return "", "", []
    try:
        return session.machine_name(state.link), state.link.machine, session.machines_of(state)
    finally:
        state.close()
