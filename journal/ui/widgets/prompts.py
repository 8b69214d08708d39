"""Guided end-of-day prompts (domain.md §4d, our own wording). Every step can be skipped."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

#: (short title, the question). Ends with "close", because writing can stir things up.
PROMPTS: tuple[tuple[str, str], ...] = (
    ("Land", "How switched-on do you feel right now, 0-10? Just a number to start from."),
    ("A moment", "One moment from today that stayed with you. What happened, in your own words, "
                 "without names or details that identify anyone?"),
    ("Name it", "Which feeling words fit? Was it mostly feeling it with them (contagion) or "
                "wanting to help them (concern)? How strong, 0-10? ctrl+n records it."),
    ("Noticing", "What did you notice? What did you do or say that helped, even a little?"),
    ("Now what", "Is anything still unfinished? If so, one concrete next step, and when. "
                 "What would need to change at work or in supervision?"),
    ("Good things", "Three things that went well today, at work or not, and why."),
    ("Tonight", "What will you do tonight that is restful, absorbing, or simply your choice?"),
    ("Close", "A short phrase or image that says 'work is parked'. How switched-on now, 0-10?"),
    ("Sleep", "Tomorrow morning, if you like: how did you sleep, 0-10, and did work "
              "intrude? (The Sleep box is for last night.)"),
)


class PromptPanel(Static):
    """Shows one prompt at a time; `step` moves with f8 / shift+f8 on the write screen."""

    DEFAULT_CSS = """
    PromptPanel { height: auto; max-height: 5; padding: 0 1; }
    """

    step: reactive[int] = reactive(0)

    def watch_step(self, step: int) -> None:
        title, question = PROMPTS[step]
        self.update(
            f"[b]{step + 1}/{len(PROMPTS)} {title}.[/] {question}\n"
            "[$text-muted]f8 next · shift+f8 back · ctrl+g hide · skip any step[/]"
        )

    def on_mount(self) -> None:
        self.watch_step(self.step)

    def move(self, delta: int) -> None:
        self.step = (self.step + delta) % len(PROMPTS)
