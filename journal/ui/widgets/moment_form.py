"""The compact moment form: kind, intensity and context are one key each, Enter saves."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from journal.core.model import vocabulary
from journal.core.model.entries import (
    CONCERN_FEELINGS,
    DISTRESS_FEELINGS,
    OTHER_FEELINGS,
    Entry,
    Moment,
)
from journal.core.store.bulk import paused_gc
from journal.ui.typing_order import typed_in
from journal.ui.widgets.choice import KeyChoice, ScaleChoice, kind_label
from journal.ui.widgets.suggest import LastItemSuggester, split_labels

KIND_KEYS = [(key, kind, kind_label(kind)) for key, kind in vocabulary.KIND_KEYS.items()]
CONTEXT_KEYS = [(key, word, word) for key, word in vocabulary.CONTEXT_KEYS.items()]
ACTION_KEYS = [(key, word, word) for key, word in vocabulary.ACTION_KEYS.items()]
PICKER_KEYS = (*dict.fromkeys([*vocabulary.KIND_KEYS, *vocabulary.CONTEXT_KEYS,
                               *vocabulary.ACTION_KEYS, *"0123456789"]),
               "minus", "plus", "left", "right", "backspace", "delete")
SEED_FEELINGS = CONCERN_FEELINGS + DISTRESS_FEELINGS + OTHER_FEELINGS
if TYPE_CHECKING:
    from journal.core.store.index import Index



class Vocabulary:
    """Words used before, offered as completions. Gathered once per unlock from the vault's
    index (`from_index`: label counts, no full entry), then grown by each save (`add`).

    Past feelings sit in the index's moments, which are decoded only when something needs
    them: they are gathered the first time `feelings` is read (the moment form), not on
    the way to the first screen."""

    def __init__(self, tags: Iterable[str] = (), people: Iterable[str] = (),
                 feelings: Iterable[str] = (), recovery: Iterable[str] = (), *,
                 past_feelings: Callable[[], Iterable[str]] | None = None) -> None:
        self.tags = list(tags)
        self.people = list(people)
        self.recovery = list(recovery)
        self._feelings = list(feelings)
        self._past_feelings = past_feelings
        self._lock = threading.Lock()

    @classmethod
    def from_index(cls, index: Index) -> Vocabulary:
        """Tags and people (body and moments) and recovery words from the index's columns
        (milliseconds at 50,000 entries); feelings when first read."""
        tags, people = index.label_counts()
        return cls(sorted(tags), sorted(people), (), sorted(index.recovery_labels()),
                   past_feelings=lambda: feelings_in(index))

    @property
    def feelings(self) -> list[str]:
        with self._lock:
            more, self._past_feelings = self._past_feelings, None
            if more is not None:
                self._feelings = sorted(set(self._feelings).union(more()))
        return self._feelings

    @feelings.setter
    def feelings(self, words: Iterable[str]) -> None:
        self._feelings = list(words)

    def add(self, entries: Iterable[Entry]) -> Vocabulary:
        """Fold the words of `entries` in (sorted, no duplicates); returns self."""
        sets = {name: set(getattr(self, name)) for name in ("tags", "people", "recovery")}
        feelings = set(self._feelings)
        for entry in entries:
            sets["recovery"].update(entry.recovery)
            for m in entry.moments:
                sets["tags"].update(m.tags)
                sets["people"].update(m.people)
                feelings.update(m.feelings)
        for name, words in sets.items():
            setattr(self, name, sorted(words))
        self._feelings = sorted(feelings)
        return self


def feelings_in(index: Index) -> set[str]:
    """Every feeling word in the index's moments (decodes them: ~0.2 s at 50,000)."""
    with paused_gc():
        return index.feeling_labels()


def parse_time(value: str) -> str | None:
    """'21:10', '2110', '9:05', '905' -> 'HH:MM'; '' -> None; anything else -> ValueError."""
    value = value.strip()
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,2}):?(\d{2})", value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError("time: use HH:MM, e.g. 21:10")
    return f"{int(match[1]):02d}:{match[2]}"


HELP = ("[b]Enter[/] save  [b]Esc[/] cancel  [b]Tab[/] next field  "
        "[b]→[/] accept completion")
DISCARD_ASKED = "[b $warning]Esc again discards this moment;[/] [b]Enter[/] saves it."

#: What the two kinds mean, in the README's words: a first moment needs them at hand.
KINDS_MEANING = (f"{kind_label('contagion')}  you took their feeling on as your own\n"
                 f"{kind_label('concern')}    you cared, and your own boundary held")


class MomentForm(ModalScreen["Moment | None"]):
    """Add or edit one moment. Dismisses with the moment, or None when cancelled."""

    DEFAULT_CSS = """
    MomentForm {
        align: center middle;
        & #moment-box {
            width: 76; max-width: 100%; height: auto; max-height: 100%;
            border: round $primary; background: $surface; padding: 0 1;
        }
        & #moment-grid {
            grid-size: 2; grid-columns: 10 1fr; grid-rows: 1; height: auto; grid-gutter: 0 1;
        }
        & Label { color: $text-muted; }
        & Input { border: none; height: 1; padding: 0 1; background: $boost; }
        & Input:focus { border: none; background: $primary 30%; }
        & #moment-kinds { color: $text-muted; margin-top: 1; }
        & #moment-help { color: $text-muted; margin-top: 1; }
    }
    """

    BINDINGS = [
        # Priority, like Tab below: read in typing order, so keys pasted after Enter wait
        # for the save instead of landing in a field of this form.
        Binding("enter", "save", "Save", id="moment.save", tooltip="Save this moment",
                priority=True),
        Binding("ctrl+s", "save", "Save", show=False, priority=True),
        Binding("escape", "cancel", "Cancel", id="moment.cancel", tooltip="Close, keep nothing"),
        # With priority, focus moves when Tab is read, in typing order: keys pasted after a
        # Tab land in the next field, not in the one they were queued for.
        Binding("tab", "next_field", show=False, priority=True),
        Binding("shift+tab", "previous_field", show=False, priority=True),
        *[Binding(key, f"pick({key!r})", show=False, priority=True) for key in PICKER_KEYS],
    ]

    def __init__(self, moment: Moment | None = None, *, vocabulary: Vocabulary | None = None,
                 default_context: str = "work") -> None:
        super().__init__()
        self.moment = moment
        self.vocabulary = vocabulary or Vocabulary()
        self.default_context = default_context
        self._early: list[str] = []
        self._as_opened: tuple[object, ...] = ()
        self._discard_asked = False

    def compose(self) -> ComposeResult:
        m = self.moment
        vocab = self.vocabulary
        with Vertical(id="moment-box") as box:
            box.border_title = "Edit moment" if m else "New moment"
            with Grid(id="moment-grid"):
                yield Label("Kind")
                yield KeyChoice(KIND_KEYS, m.kind if m else None, id="kind")
                yield Label("Intensity")
                yield ScaleChoice(m.intensity if m else None, id="intensity")
                yield Label("Context")
                yield KeyChoice(CONTEXT_KEYS, m.context if m else self.default_context,
                                id="context")
                yield Label("Triggers")
                yield Input(", ".join(m.tags) if m else "", id="tags",
                            placeholder="tags, e.g. death, yelling (no names)",
                            suggester=LastItemSuggester(vocab.tags))
                yield Label("People")
                yield Input(", ".join(m.people) if m else "", id="people",
                            placeholder="initials or roles, e.g. supervisor",
                            suggester=LastItemSuggester(vocab.people))
                yield Label("Feelings")
                yield Input(", ".join(m.feelings) if m else "", id="feelings",
                            placeholder="e.g. worried, warm, moved, numb",
                            suggester=LastItemSuggester([*vocab.feelings, *SEED_FEELINGS]))
                yield Label("Action")
                yield KeyChoice(ACTION_KEYS, m.action if m else None, id="action")
                yield Label("Time")
                yield Input((m.time or "") if m else "", placeholder="HH:MM (optional)",
                            restrict=r"[0-9:]*", max_length=5, id="time")
                yield Label("Note")
                yield Input(m.note if m else "", placeholder="optional, a few words", id="note")
            yield Static(KINDS_MEANING, id="moment-kinds")
            yield Static(HELP, id="moment-help")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#kind" if self.moment is None else "#tags"))
        self._as_opened = self._fields()

        for key in self._early:  # typed before the form was on screen
            self.action_pick(key)
        self._early.clear()

    def action_pick(self, key: str) -> None:
        """One-key fields. Bound with priority so keys are handled in typing order even
        when they arrive faster than focus moves ("c7w" at once fills three fields)."""
        focused = self.focused
        if focused is None:
            if not self.is_mounted:
                self._early.append(key)
                return
            raise SkipAction()
        if not isinstance(focused, (KeyChoice, ScaleChoice)):
            raise SkipAction()
        event = events.Key(key, {"minus": "-", "plus": "+"}.get(key, key if len(key) == 1
                                                                    else None))
        if isinstance(focused, ScaleChoice) and focused.waiting_for_zero and key != "0":
            focused.settle()  # "1" then "w": intensity 1, and the w is the context's
            self.action_pick(key)
            return
        if not focused.handle(event):
            raise SkipAction()

    def action_next_field(self) -> None:
        scale = self.focused
        if isinstance(scale, ScaleChoice) and scale.waiting_for_zero:
            scale.settle()  # the 1 stands; focus is already on the next field
        else:
            self.focus_next()

    def action_previous_field(self) -> None:
        scale = self.focused
        if isinstance(scale, ScaleChoice):
            scale.on_blur()
        self.focus_previous()

    @on(Input.Submitted)
    async def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self.action_save()

    def build(self) -> Moment:
        """The form's moment; ValueError names the first thing missing or wrong."""
        kind = self.query_one("#kind", KeyChoice).value
        if kind is None:
            raise ValueError("kind: press c for contagion or k for concern")
        intensity = self.query_one("#intensity", ScaleChoice).value
        if intensity is None:
            raise ValueError("intensity: type a number 0-10")
        context = self.query_one("#context", KeyChoice).value
        if context is None:
            raise ValueError("context: press w, c, h or e")
        values = {name: self.query_one(f"#{name}", Input).value
                  for name in ("time", "tags", "people", "feelings", "note")}
        fields = dict(kind=kind, intensity=intensity, context=context,
                      time=parse_time(values["time"]), tags=split_labels(values["tags"]),
                      people=split_labels(values["people"]),
                      feelings=split_labels(values["feelings"]),
                      action=self.query_one("#action", KeyChoice).value,
                      note=values["note"].strip())
        if self.moment is not None:
            return replace(self.moment, **fields)
        return Moment(**fields)

    async def action_save(self) -> None:
        """Save once every text field has taken the keys queued ahead of Enter or Ctrl+S
        (journal.ui.typing_order)."""
        await typed_in(self.query(Input))
        closing = self._save_now()
        if closing is not None and asyncio.current_task() is not self._task:
            # Enter and Ctrl+S are read by the app: the keys after them wait until the form
            # has gone, so they reach the write screen, not this form.
            await closing

    def _save_now(self) -> AwaitComplete | None:
        if self.app.screen is not self:  # saved (or closed) by an earlier key
            return None
        try:
            moment = self.build()
        except ValueError as exc:
            field_id = str(exc).split(":")[0].strip()
            self.notify(str(exc), title="Not saved yet", severity="warning")
            target = self.query(f"#{field_id}")
            if target:
                target.first().focus()
            return None
        return self.dismiss(moment)

    def _fields(self) -> tuple[object, ...]:
        """Every field's value, to tell whether anything was typed since the form opened."""
        return (*(c.value for c in self.query(KeyChoice)), self.query_one(ScaleChoice).value,
                *(i.value for i in self.query(Input)))

    def action_cancel(self) -> None:
        """Close, keeping nothing; once something was typed, only at a second Escape (a
        first one, by habit or to wave away a completion, dropped it all in silence)."""
        if self._discard_asked or self._fields() == self._as_opened:
            self.dismiss(None)
            return
        self._discard_asked = True
        self.query_one("#moment-help", Static).update(DISCARD_ASKED)

    @on(Input.Changed)
    @on(KeyChoice.Chosen)
    def _carry_on(self) -> None:
        if self._discard_asked:  # an edit after the question: it is asked again
            self._discard_asked = False
            self.query_one("#moment-help", Static).update(HELP)
