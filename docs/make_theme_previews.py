"""Write docs/images/theme-<name>.svg: a small preview of every built-in theme.

    .venv/bin/python docs/make_theme_previews.py            # all built-ins
    .venv/bin/python docs/make_theme_previews.py my-theme   # also a theme of yours, by name

The preview app uses only theme variables ($contagion, $heat-2, ...), like the real app.
It runs headless (App.run_test) and saves Textual's SVG screenshot; nothing else is written.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Footer, Input, Label, OptionList, Static

from journal import paths
from journal.ui import themes as themes_mod

OUT = Path(__file__).resolve().parent / "images"
SIZE = (80, 24)

BODY = ("Long shift. The call with the Okafor family stayed with me on the drive home;\n"
        "I noticed it at dinner. Then a small win: #intake paperwork done with @sam.")


class Preview(App[None]):
    """Sample text, the moment kinds, a heat-map strip and swatches, in the active theme."""

    TITLE = "journal: theme preview"
    CSS = """
    Screen { background: $background; color: $foreground; }
    #title { background: $panel; color: $foreground; padding: 0 1; text-style: bold; }
    #title-muted { background: $panel; color: $text-muted; padding: 0 1; }
    #main { height: 1fr; }
    #entry { width: 1fr; background: $surface; padding: 0 1; border: tall $primary; }
    #entry .muted { color: $text-muted; }
    #entry .heading { color: $primary; text-style: bold; }
    #side { width: 34; padding: 0 1; }
    .contagion { color: $contagion; }
    .concern { color: $concern; }
    .spillover { color: $spillover; }
    .muted { color: $text-muted; }
    #heat { height: 1; margin-top: 1; }
    #heat Label { width: 5; color: $foreground; }
    .heat-0 { background: $heat-0; }
    .heat-1 { background: $heat-1; }
    .heat-2 { background: $heat-2; }
    .heat-3 { background: $heat-3; }
    .heat-4 { background: $heat-4; }
    #swatches { height: 1; margin-top: 1; }
    #swatches Label { width: 1fr; content-align: center middle; color: auto 87%; }
    .sw-primary { background: $primary; }
    .sw-accent { background: $accent; }
    .sw-warning { background: $warning; }
    .sw-error { background: $error; }
    .sw-success { background: $success; }
    OptionList { height: 4; margin-top: 1; background: $surface; border: none; }
    Input { margin-top: 1; }
    """

    BINDINGS = [
        Binding("ctrl+s", "noop('save')", "Save"),
        Binding("ctrl+n", "noop('moment')", "Moment"),
        Binding("ctrl+l", "noop('lock')", "Lock"),
        Binding("f1", "noop('help')", "Help"),
    ]

    def __init__(self, theme_name: str, description: str) -> None:
        super().__init__()
        self.theme_name, self.description = theme_name, description

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(themes_mod.THEME_VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        yield Static(f"{self.theme_name}", id="title")
        yield Static(self.description, id="title-muted")
        with Horizontal(id="main"):
            with Vertical(id="entry"):
                yield Label("Wednesday 25 November", classes="heading")
                yield Static(BODY)
                yield Label("sleep 6 · energy 4 · walked the dog", classes="muted")
                options = OptionList(
                    Content.assemble(("Tue", "$text-muted"), " 24  ", ("◆2", "$contagion"),
                                     " ", ("○1", "$concern"), "  Team meeting ran late"),
                    Content.assemble(("Mon", "$text-muted"), " 23  ", ("○1", "$concern"),
                                     "     Quiet day in the park"))
                options.highlighted = 0
                yield options
                yield Input(placeholder="Add a good thing…")
            with Vertical(id="side"):
                yield Label("Moments", classes="heading")
                yield Label("◆ contagion 7 · work · #grief", classes="contagion")
                yield Label("○ concern 5 · work · #intake", classes="concern")
                yield Label("↩ spillover · home, after 18:00", classes="spillover")
                yield Label("· 2 moments earlier this week", classes="muted")
                with Horizontal(id="heat"):
                    marks = ("[$text-muted]·[/]", "[$concern]○[/]", "[$contagion]◆[/]",
                             "[$spillover]↩[/]", "[$contagion]◆[/]")
                    for n, mark in enumerate(marks):
                        yield Label(f" {20 + n}{mark}", classes=f"heat-{n}")
                with Horizontal(id="swatches"):
                    for name in ("primary", "accent", "warning", "error", "success"):
                        yield Label(name[:4], classes=f"sw-{name}")
        yield Footer()

    def action_noop(self, what: str) -> None:
        """The keys only decorate the footer."""


async def snapshot(name: str, description: str, user_dir: Path | None, out: Path) -> None:
    app = Preview(name, description)
    errors = themes_mod.register_all(app, user_dir)
    if errors:
        print("\n".join(errors), file=sys.stderr)
    app.theme = name
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()  # the footer recomposes after the first refresh
        app.save_screenshot(filename=out.name, path=str(out.parent))


def main(argv: list[str]) -> int:
    user_dir = paths.resolve().user_themes if argv else None
    descriptions = themes_mod.theme_descriptions(user_dir)
    builtins = {info.name for info in themes_mod.load_theme_infos(None)[0]}
    wanted = sorted(builtins) + [name for name in argv if name not in builtins]
    OUT.mkdir(parents=True, exist_ok=True)
    for name in wanted:
        if name not in descriptions:
            print(f"no theme named {name!r}", file=sys.stderr)
            return 1
        out = OUT / f"theme-{name}.svg"
        asyncio.run(snapshot(name, descriptions[name], user_dir, out))
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
