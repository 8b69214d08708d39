"""The moments panel: the day's moments, one line each; add, edit, remove by key or mouse."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, ListItem, ListView, Static

from journal.core.care.practice_script import describe
from journal.core.model.entries import Moment
from journal.core.textsafe import for_markup
from journal.ui.widgets.choice import kind_label


def moment_markup(moment: Moment) -> str:
    """'◆ contagion 7 work 21:10' with the kind's colour (never colour alone)."""
    parts = [kind_label(moment.kind), f"[b]{moment.intensity}[/]", moment.context]
    if moment.time:
        parts.append(moment.time)
    return " ".join(parts)


def moment_details(moment: Moment) -> list[str]:
    """The lines under a moment's head: its tags, people, feelings and action ('#death @sam
    upset withdrew'), its note ('— froze at the door'), and the practice kept with it in
    the words Browse and `journal show` use ('practice: 2 min, 6 of 6 steps, activation
    8 -> 5'): all that the form took, as Browse's preview shows it. Plain text."""
    extras = [f"#{t}" for t in moment.tags] + [f"@{p}" for p in moment.people]
    extras += moment.feelings
    if moment.action:
        extras.append(moment.action)
    lines = [" ".join(extras)] if extras else []
    if moment.note.strip():
        lines.append(f"— {' '.join(moment.note.split())}")
    if moment.practice is not None:
        lines.append(f"practice: {describe(moment.practice)}")
    return lines


def moment_item(moment: Moment) -> ListItem:
    """One row of the list: the head, then each detail indented under it (a long one wraps
    under itself, not under the head)."""
    details = [Static(for_markup(line), classes="moment-detail")
               for line in moment_details(moment)]
    return ListItem(Static(moment_markup(moment), classes="moment-head"), *details)


def moment_words(moment: Moment) -> str:
    """Plain words for a moment, to name it in a question: 'contagion 7 work 21:10 #death'."""
    words = [moment.kind, str(moment.intensity), moment.context, moment.time or ""]
    words += [f"#{t}" for t in moment.tags] + [f"@{p}" for p in moment.people]
    return " ".join(w for w in words if w)


def in_time_order(moments: list[Moment]) -> None:
    """Sort in place by time of day; moments without a time keep their order, after."""
    moments.sort(key=lambda m: (m.time is None, m.time or ""))


class MomentList(ListView):
    BINDINGS = [
        Binding("n,a", "add", "Add", id="moments.add", tooltip="Add a moment"),
        Binding("delete,x", "remove", "Remove", id="moments.remove",
                tooltip="Remove the highlighted moment"),
    ]

    def action_add(self) -> None:
        self.post_message(MomentsPanel.AddRequested())

    def action_remove(self) -> None:
        if self.index is not None and self.index < len(self.children):
            self.post_message(MomentsPanel.RemoveRequested(self.index))


class MomentsPanel(Vertical):
    DEFAULT_CSS = """
    MomentsPanel { height: 1fr; min-height: 5; }
    MomentsPanel MomentList { height: 1fr; }
    MomentsPanel ListItem { height: auto; }
    MomentsPanel .moment-detail { padding-left: 2; color: $text-muted; }
    """

    class AddRequested(Message):
        pass

    @dataclass
    class EditRequested(Message):
        index: int

    @dataclass
    class RemoveRequested(Message):
        index: int

    def compose(self) -> ComposeResult:
        yield Label("[b]Moments[/]  [$text-muted]ctrl+n add[/]",
                    classes="panel-title")
        yield Static("[$text-muted]None yet. ctrl+n adds one.[/]", id="moments-empty")
        yield MomentList(id="moment-list")

    async def show(self, moments: list[Moment]) -> None:
        """Show `moments`, which are first put in time order in place (the caller's
        indices then match the list's rows)."""
        in_time_order(moments)
        view = self.query_one(MomentList)
        index = view.index
        await view.clear()
        await view.extend(moment_item(m) for m in moments)
        self.query_one("#moments-empty").display = not moments
        if moments:
            view.index = min(index or 0, len(moments) - 1)

    @on(ListView.Selected)
    def _selected(self, event: ListView.Selected) -> None:
        event.stop()
        if event.index is not None:
            self.post_message(self.EditRequested(event.index))
